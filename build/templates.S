/* templates.S: embeds the files of templates/, made into one gzip stream by
 * build/templates.sh (TEMPLATES_GZ, its path, given by the Makefile), between the symbols
 * embed_templates and embed_templates_end; lib/fmt/template.c inflates it. */
.section .rodata.embed_templates,"a"
	.balign 8
	.global embed_templates
embed_templates:
	.incbin TEMPLATES_GZ
	.global embed_templates_end
embed_templates_end:

.section .note.GNU-stack,"",@progbits
