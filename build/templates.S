/* templates.S: embeds the files of templates/ into the binary, each NUL-terminated.
 * The symbols embed_NAME and embed_NAME_end bound each file; lib/template.c lists them. */
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

EMBED activate_sh,	"templates/activate"
EMBED activate_fish,	"templates/activate.fish"
EMBED activate_csh,	"templates/activate.csh"
EMBED activate_ps1,	"templates/Activate.ps1"
EMBED gitignore,	"templates/gitignore"
EMBED launcher,		"templates/launcher.py"
EMBED launcher_sh,	"templates/launcher-sh.py"
EMBED launcher_rel,	"templates/launcher-rel.py"
EMBED deactivate_sh,	"templates/deactivate.sh"
EMBED deactivate_fish,	"templates/deactivate.fish"
EMBED deactivate_csh,	"templates/deactivate.csh"
EMBED deactivate_ps1,	"templates/deactivate.ps1"

.section .note.GNU-stack,"",@progbits
