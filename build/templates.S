/* templates.S: embeds the files of templates/ into the binary, each NUL-terminated: the
 * symbols embed_SYMBOL and embed_SYMBOL_end bound each file of lib/fmt/fmt.h's TEMPLATES. */
#include "../lib/fmt/fmt.h"

.macro EMBED name, file
	.section .rodata.embed_\name,"a"
	.balign 8
	.global embed_\name
embed_\name:
	.incbin "\file"
	.global embed_\name\()_end
embed_\name\()_end:
	.byte 0
.endm

#define EMBED_ONE(sym, source, name, shell, minor) EMBED sym, source;
TEMPLATES(EMBED_ONE)

.section .note.GNU-stack,"",@progbits
