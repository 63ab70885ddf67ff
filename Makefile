# Makefile: builds the static venvbox binary, runs its tests, benchmarks and sanitizer builds.
# Everything generated goes to build/out/.
OUT      := build/out
CC_MUSL  ?= musl-gcc
HOSTCC   ?= cc
CFLAGS   ?= -Os -pipe -fno-asynchronous-unwind-tables -fno-unwind-tables
WARN     := -std=c11 -Wall -Wextra -Wno-unused-parameter -Wshadow -Wstrict-prototypes \
            -Wno-missing-field-initializers
CPPFLAGS := -D_GNU_SOURCE -Ilib
PREFIX   ?= /usr/local
DESTDIR  ?=

# the applets as applets/applets.h lists them (its X(name) lines), and lib/ in its layers
APPLETS  := $(shell sed -n 's/^[[:space:]]*X.\([a-z0-9_]*\),.*/\1/p' applets/applets.h)
LAYERS   := base fmt py venv pkg
LIB_SRC  := $(foreach l,$(LAYERS),$(sort $(wildcard lib/$(l)/*.c)))
APP_SRC  := $(sort $(wildcard applets/*.c))
UNIT_SRC := $(sort $(wildcard tests/unit/*.c))
TEMPLATES := $(sort $(wildcard templates/*))

# musl build: the shipped binary
ZLIB     := $(OUT)/zlib-musl
OBJS     := $(patsubst %.c,$(OUT)/obj/%.o,$(LIB_SRC) $(APP_SRC)) $(OUT)/obj/templates.o

.PHONY: all deps dist dist-deps test bench demo layers check-asan fuzz install clean FORCE
all: $(OUT)/venvbox $(OUT)/unit-tests $(OUT)/zipls $(OUT)/tagcheck $(OUT)/tomldump $(OUT)/markercheck $(OUT)/rss links

# The build tools first, then zlib, then our objects (make -j keeps that order). zlib.sh runs
# every time but only builds when libz.a is missing or was made by another compiler or source.
FORCE:
deps:
	@sh build/deps.sh

$(ZLIB)/lib/libz.a: FORCE | deps
	@sh build/zlib.sh "$(CC_MUSL)" "$(ZLIB)"

# Reproducible objects: no build path (__FILE__, debug paths) and no build time (__DATE__)
# gets into them: the tree's path is cut off and the time is the last commit's (0 outside git).
SOURCE_DATE_EPOCH ?= $(or $(shell git log -1 --format=%ct 2>/dev/null),0)
export SOURCE_DATE_EPOCH
REPRO    := -ffile-prefix-map=$(CURDIR)/=

# each object depends on the headers it includes, as the compiler found them (-MMD -MP)
$(OUT)/obj/%.o: %.c $(ZLIB)/lib/libz.a
	@mkdir -p $(dir $@)
	$(CC_MUSL) $(CFLAGS) $(ARCH_CFLAGS) $(WARN) $(CPPFLAGS) $(REPRO) -MMD -MP -I$(ZLIB)/include -ffunction-sections -fdata-sections -c -o $@ $<
-include $(OBJS:.o=.d)

# the templates, packed into one gzip stream and embedded (build/templates.sh)
TEMPLATES_GZ := -DTEMPLATES_GZ='"$(OUT)/templates.gz"'
$(OUT)/templates.gz: build/templates.sh lib/fmt/fmt.h $(TEMPLATES)
	@mkdir -p $(dir $@)
	sh build/templates.sh lib/fmt/fmt.h $@

$(OUT)/obj/templates.o: build/templates.S $(OUT)/templates.gz | deps
	@mkdir -p $(dir $@)
	$(CC_MUSL) $(TEMPLATES_GZ) -c -o $@ build/templates.S

# (-z norelro: musl applies RELRO in its dynamic linker only, so in a static binary the
# segment protects nothing, and on aarch64 aligning its end to a 64 KiB page cost 42 KiB.
# -z noseparate-code: the headers, code and read-only data in one read-execute segment, the
# layout aarch64's linker makes by default; x86_64's default puts each in its own pages, and
# their padding cost 8 KiB. Nothing writable becomes executable.)
$(OUT)/venvbox: $(OBJS)
	$(CC_MUSL) -static -s -Wl,--gc-sections -Wl,-z,norelro -Wl,-z,noseparate-code -o $@ $(OBJS) $(ZLIB)/lib/libz.a

$(OUT)/unit-tests: $(UNIT_SRC) $(filter-out %/main.o,$(OBJS)) tests/unit/unit.h $(wildcard lib/*/*.h)
	$(CC_MUSL) $(CFLAGS) $(WARN) $(CPPFLAGS) -static -o $@ $(UNIT_SRC) \
		$(filter $(OUT)/obj/lib/%,$(OBJS)) $(OUT)/obj/templates.o $(ZLIB)/lib/libz.a

# the zip reader alone, listing what it reads, for tests/t_zip_diff.sh (against Python's zipfile)
ZIPLS_OBJ := $(patsubst %,$(OUT)/obj/lib/%.o,fmt/zip base/digest base/sha256 base/sha512 base/utf8 base/err base/buf)
$(OUT)/zipls: tests/zipls.c $(ZIPLS_OBJ) lib/fmt/fmt.h lib/base/base.h
	$(CC_MUSL) $(CFLAGS) $(WARN) $(CPPFLAGS) -static -o $@ tests/zipls.c $(ZIPLS_OBJ) $(ZLIB)/lib/libz.a

# the tag rules alone, for an interpreter found as mkvenv finds it, for tests/t_tags_pip.sh (against pip's own list)
$(OUT)/tagcheck: tests/tagcheck.c $(filter $(OUT)/obj/lib/%,$(OBJS)) $(OUT)/obj/templates.o $(wildcard lib/*/*.h)
	$(CC_MUSL) $(CFLAGS) $(WARN) $(CPPFLAGS) -static -o $@ tests/tagcheck.c $(filter $(OUT)/obj/lib/%,$(OBJS)) \
		$(OUT)/obj/templates.o $(ZLIB)/lib/libz.a

# the TOML reader alone, printing what it reads, for tests/t_toml.sh (against Python's tomllib)
$(OUT)/tomldump: tests/tomldump.c $(filter $(OUT)/obj/lib/%,$(OBJS)) $(OUT)/obj/templates.o $(wildcard lib/*/*.h)
	$(CC_MUSL) $(CFLAGS) $(WARN) $(CPPFLAGS) -static -o $@ tests/tomldump.c $(filter $(OUT)/obj/lib/%,$(OBJS)) \
		$(OUT)/obj/templates.o $(ZLIB)/lib/libz.a

# Release binaries, static and stripped, with their SHA256SUMS, in build/out/dist/. The machine's
# own architecture's is build/out/venvbox itself (the binary make test runs); every other one
# is built by this Makefile again (OUT=build/out/cross-ARCH) with Debian's cross compiler
# ARCH-linux-gnu-gcc through the wrapper of a musl built for ARCH from Debian's source package
# (build/musl.sh), and a zlib built with it.
HOST_ARCH   := $(shell uname -m)
# aarch64: the tiny code model (an address in one ADR, not ADRP+ADD: 8 KiB less). Its reach
# is 1 MiB, three times the whole binary; a binary past it would fail to link, not misbehave.
ARCH_CFLAGS_aarch64 := -mcmodel=tiny
DIST_ARCHES ?= x86_64 aarch64
DIST        := $(OUT)/dist
dist: $(DIST)/SHA256SUMS
	@cd $(DIST) && for a in $(DIST_ARCHES); do echo "venvbox-$$a: $$(wc -c <venvbox-$$a) bytes"; done && cat SHA256SUMS

# the cross compilers alone (.ci/run installs them before anything runs in the background)
dist-deps:
	@sh build/deps.sh dist $(filter-out $(HOST_ARCH),$(DIST_ARCHES))

$(DIST)/SHA256SUMS: $(patsubst %,$(DIST)/venvbox-%,$(DIST_ARCHES))
	cd $(DIST) && sha256sum $(patsubst %,venvbox-%,$(DIST_ARCHES)) >SHA256SUMS.tmp && mv SHA256SUMS.tmp SHA256SUMS

$(DIST)/venvbox-$(HOST_ARCH): $(OUT)/venvbox
	@mkdir -p $(DIST)
	cp $< $@

$(DIST)/venvbox-%: $(OUT)/cross-%/venvbox
	@mkdir -p $(DIST)
	cp $< $@

$(OUT)/cross-%/venvbox: $(OUT)/musl-%/lib/libc.a FORCE
	@$(MAKE) --no-print-directory OUT=$(OUT)/cross-$* CC_MUSL=$(CURDIR)/$(OUT)/musl-$*/bin/musl-gcc \
		ARCH_CFLAGS="$(ARCH_CFLAGS_$*)" $@

.PRECIOUS: $(OUT)/cross-%/venvbox $(OUT)/musl-%/lib/libc.a
$(OUT)/musl-%/lib/libc.a: FORCE
	@sh build/deps.sh dist $*
	@sh build/musl.sh $* $(OUT)/musl-$*

# the marker rules alone, for an interpreter found as mkvenv finds it, for tests/t_requirements.sh (against packaging)
$(OUT)/markercheck: tests/markercheck.c $(filter $(OUT)/obj/lib/%,$(OBJS)) $(OUT)/obj/templates.o $(wildcard lib/*/*.h)
	$(CC_MUSL) $(CFLAGS) $(WARN) $(CPPFLAGS) -static -o $@ tests/markercheck.c $(filter $(OUT)/obj/lib/%,$(OBJS)) \
		$(OUT)/obj/templates.o $(ZLIB)/lib/libz.a

links: $(OUT)/venvbox
	@mkdir -p $(OUT)/bin
	@for a in $(APPLETS); do ln -sf ../venvbox $(OUT)/bin/$$a; done

test: all dist
	@sh tests/setup.sh
	@sh tests/run

bench: all
	@sh tests/setup.sh
	@bash tests/bench.sh

$(OUT)/rss: tests/rss.c | deps
	$(CC_MUSL) -static -Os -o $@ tests/rss.c

demo: all
	@sh build/deps.sh demo
	@sh build/demo.sh

# The include and call graph of lib/ and applets/, checked against the layer order and drawn
# (build/out/layers/layers.svg; the list of what each file uses is layers.txt).
layers: deps
	@sh build/deps.sh layers
	@sh build/layers.sh $(OUT)/layers $(HOSTCC)

# The whole suite on a host-compiler build with AddressSanitizer and UBSan.
ASAN     := $(OUT)/asan
ASAN_CC  := $(HOSTCC) -g -O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
check-asan: deps $(OUT)/templates.gz
	@sh build/zlib.sh "$(HOSTCC)" "$(ASAN)/zlib"
	@mkdir -p $(ASAN)/bin
	$(ASAN_CC) $(WARN) $(CPPFLAGS) -I$(ASAN)/zlib/include -o $(ASAN)/venvbox $(LIB_SRC) $(APP_SRC) $(TEMPLATES_GZ) build/templates.S $(ASAN)/zlib/lib/libz.a
	$(ASAN_CC) $(WARN) $(CPPFLAGS) -I$(ASAN)/zlib/include -o $(ASAN)/unit-tests $(UNIT_SRC) $(LIB_SRC) $(TEMPLATES_GZ) build/templates.S $(ASAN)/zlib/lib/libz.a
	$(ASAN_CC) $(WARN) $(CPPFLAGS) -I$(ASAN)/zlib/include -o $(ASAN)/zipls tests/zipls.c \
		$(patsubst %,lib/%.c,fmt/zip base/digest base/sha256 base/sha512 base/utf8 base/err base/buf) $(ASAN)/zlib/lib/libz.a
	$(ASAN_CC) $(WARN) $(CPPFLAGS) -I$(ASAN)/zlib/include -o $(ASAN)/tagcheck tests/tagcheck.c $(LIB_SRC) $(TEMPLATES_GZ) build/templates.S $(ASAN)/zlib/lib/libz.a
	$(ASAN_CC) $(WARN) $(CPPFLAGS) -I$(ASAN)/zlib/include -o $(ASAN)/tomldump tests/tomldump.c $(LIB_SRC) $(TEMPLATES_GZ) build/templates.S $(ASAN)/zlib/lib/libz.a
	$(ASAN_CC) $(WARN) $(CPPFLAGS) -I$(ASAN)/zlib/include -o $(ASAN)/markercheck tests/markercheck.c $(LIB_SRC) $(TEMPLATES_GZ) build/templates.S $(ASAN)/zlib/lib/libz.a
	@for a in $(APPLETS); do ln -sf ../venvbox $(ASAN)/bin/$$a; done
	@sh tests/setup.sh
	@VENVBOX_OUT=$(CURDIR)/$(ASAN) VENVBOX_ASAN=1 ASAN_OPTIONS=detect_leaks=0 sh tests/run

install: all
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 $(OUT)/venvbox $(DESTDIR)$(PREFIX)/bin/venvbox
	@for a in $(APPLETS); do ln -sf venvbox $(DESTDIR)$(PREFIX)/bin/$$a; done

clean:
	rm -rf $(OUT)/obj $(OUT)/venvbox $(OUT)/unit-tests $(OUT)/zipls $(OUT)/tagcheck $(OUT)/tomldump $(OUT)/markercheck $(OUT)/rss $(OUT)/bin $(OUT)/asan $(OUT)/test-tmp $(OUT)/demo $(OUT)/dist $(OUT)/cross-*

# libFuzzer targets of the archive, text, TOML and requirements parsers (tests/fuzz/), built with clang against a
# host zlib and only the lib/ files each needs. Each runs FUZZ_SECONDS on a corpus kept in
# $(FUZZ)/corpus-NAME, seeded from the machine's wheels and tests/mkwheels.py; a crash fails
# the target (its input goes to $(FUZZ)/crashes/). zipmut is fuzz_zip with a structure-aware
# mutator (tests/fuzz/zipmut.c) on the zip seeds; it keeps what the reader accepts in
# $(FUZZ)/accepted-zip/ for tests/t_zip_diff.sh.
FUZZ         := $(OUT)/fuzz
FUZZ_SECONDS ?= 60
FUZZ_TARGETS ?= zip zipmut wheel text toml req
FUZZ_CC      := clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
fuzzobj       = $(patsubst %,$(FUZZ)/obj/lib/%.o,$(1))
fuzz: $(patsubst %,$(FUZZ)/fuzz_%,$(FUZZ_TARGETS)) $(FUZZ)/seeds/.done
	@sh tests/fuzz/run.sh $(FUZZ) $(FUZZ_SECONDS) $(FUZZ_TARGETS)

$(FUZZ)/fuzz_zip: tests/fuzz/fuzz_zip.c $(call fuzzobj,fmt/zip base/digest base/sha256 base/sha512 base/utf8 base/err base/buf)
$(FUZZ)/fuzz_zipmut: tests/fuzz/fuzz_zip.c tests/fuzz/zipmut.c $(call fuzzobj,fmt/zip base/digest base/sha256 base/sha512 base/utf8 base/err base/buf)
$(FUZZ)/fuzz_text: tests/fuzz/fuzz_text.c $(call fuzzobj,fmt/record fmt/rfc822 py/pep440 py/specifier base/base64 base/utf8 base/err base/buf)
$(FUZZ)/fuzz_wheel: tests/fuzz/fuzz_wheel.c $(call fuzzobj,pkg/wheel pkg/members py/tags py/names py/layout py/pep440 py/specifier \
	fmt/zip base/digest base/sha256 base/sha512 fmt/record fmt/rfc822 base/pool base/path base/base64 base/scan base/utf8 base/err base/buf)
$(FUZZ)/fuzz_toml: tests/fuzz/fuzz_toml.c $(call fuzzobj,pkg/pylock fmt/toml py/names py/pep440 py/specifier \
	base/file base/digest base/sha256 base/sha512 base/fault base/pool base/path base/scan base/utf8 base/err base/buf)
$(FUZZ)/fuzz_req: tests/fuzz/fuzz_req.c $(call fuzzobj,pkg/requirements py/pep508 py/markers py/names py/pep440 py/specifier \
	base/file base/digest base/sha256 base/sha512 base/path base/utf8 base/err base/buf base/fault)
$(FUZZ)/fuzz_zip $(FUZZ)/fuzz_zipmut $(FUZZ)/fuzz_text $(FUZZ)/fuzz_wheel $(FUZZ)/fuzz_toml $(FUZZ)/fuzz_req: $(wildcard lib/*/*.h) $(FUZZ)/zlib/lib/libz.a
	$(FUZZ_CC) $(WARN) $(CPPFLAGS) -I$(FUZZ)/zlib/include -o $@ $(filter %.c %.o,$^) $(FUZZ)/zlib/lib/libz.a

$(FUZZ)/zlib/lib/libz.a: FORCE | deps
	@sh build/zlib.sh clang $(FUZZ)/zlib

$(FUZZ)/obj/%.o: %.c $(wildcard lib/*/*.h) $(FUZZ)/zlib/lib/libz.a
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(WARN) $(CPPFLAGS) -I$(FUZZ)/zlib/include -c -o $@ $<

$(FUZZ)/obj/templates.o: build/templates.S $(OUT)/templates.gz
	@mkdir -p $(dir $@)
	clang $(TEMPLATES_GZ) -c -o $@ build/templates.S

$(FUZZ)/seeds/.done: tests/fuzz/seeds.py tests/mkwheels.py $(wildcard tests/toml/*/*.toml tests/pylock/*.toml)
	@rm -rf $(FUZZ)/seeds
	@python3 tests/fuzz/seeds.py $(FUZZ)/seeds
	@touch $@
