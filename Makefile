# mirleft — top-level build. `make` builds the tool and the tenders into
# build/; `make check` runs every test; `make bench` runs the benchmarks;
# `make install PREFIX=... DESTDIR=...` installs.
#
# Each area contributes a fragment (*.mk) that appends to the variables
# below, so the tool, the tenders and the tests build from one make
# invocation without one Makefile knowing the others' files.

VERSION := $(shell cat VERSION)
PREFIX ?= /usr/local
DESTDIR ?=
B := build

CC ?= cc
HOST_CFLAGS := -std=c11 -O2 -g -Wall -Wextra -Werror -D_GNU_SOURCE \
	-DMIRLEFT_VERSION='"$(VERSION)"' -MMD -MP
HOST_LDFLAGS :=

# Filled in by the fragments.
BINS :=          # host programs installed to bin/
PRIVATE_LIBS :=  # shared objects of mirleft's own, installed to lib/mirleft/
UNIT_BINS :=     # host unit-test programs (built by `make check`)
CLEAN_DIRS := $(B)

.PHONY: all check unit bench install uninstall clean
all:

include src/build.mk
include src/vm/vm.mk
include $(sort $(wildcard targets/*/tender/tender.mk))
include $(sort $(wildcard tests/*/*.mk))

all: $(BINS)

unit: $(UNIT_BINS)

check: all unit
	@tests/run

bench: all
	@bench/run

DATA_DIRS := share targets templates
# Section 3 pages that document several headers answer to each name of
# their NAME line (man 3 ml_tcp opens ml_stack(3)): ALIAS:PAGE pairs.
MAN3_ALIASES = $(foreach p,$(wildcard man/*.3),$(foreach n,$(filter-out \
	$(basename $(notdir $(p))),$(shell sed -n '/^\.SH NAME/{n;s/ \\-.*//;s/,//g;p;q;}' $(p))),$(n):$(basename $(notdir $(p)))))
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/mirleft \
		$(DESTDIR)$(PREFIX)/share/man/man1 $(DESTDIR)$(PREFIX)/share/man/man3 \
		$(DESTDIR)$(PREFIX)/share/man/man5
	install -m 755 $(BINS) $(DESTDIR)$(PREFIX)/bin/
	install -d $(DESTDIR)$(PREFIX)/lib/mirleft
	install -m 644 $(PRIVATE_LIBS) $(DESTDIR)$(PREFIX)/lib/mirleft/
	for d in $(DATA_DIRS); do \
		(find $$d -type f ! -name '*.o' ! -name '*.d' ! -name '*.mk' | sort | \
		 while read f; do m=644; [ -x $$f ] && m=755; \
		   install -D -m $$m $$f $(DESTDIR)$(PREFIX)/share/mirleft/$$f; done); \
	done
	install -m 644 man/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 man/*.3 $(DESTDIR)$(PREFIX)/share/man/man3/
	$(foreach a,$(MAN3_ALIASES),echo '.so man3/$(lastword $(subst :, ,$(a))).3' \
		>$(DESTDIR)$(PREFIX)/share/man/man3/$(firstword $(subst :, ,$(a))).3;)
	install -m 644 man/*.5 $(DESTDIR)$(PREFIX)/share/man/man5/
	# shell completion, printed by the tool from its own command table
	install -d $(DESTDIR)$(PREFIX)/share/bash-completion/completions \
		$(DESTDIR)$(PREFIX)/share/zsh/site-functions
	$(B)/mirleft completion bash >$(DESTDIR)$(PREFIX)/share/bash-completion/completions/mirleft
	$(B)/mirleft completion zsh >$(DESTDIR)$(PREFIX)/share/zsh/site-functions/_mirleft

uninstall:
	rm -rf $(DESTDIR)$(PREFIX)/share/mirleft $(DESTDIR)$(PREFIX)/lib/mirleft
	rm -f $(DESTDIR)$(PREFIX)/share/bash-completion/completions/mirleft \
		$(DESTDIR)$(PREFIX)/share/zsh/site-functions/_mirleft
	for b in $(notdir $(BINS)); do rm -f $(DESTDIR)$(PREFIX)/bin/$$b; done
	for m in $(notdir $(wildcard man/*.1)); do rm -f $(DESTDIR)$(PREFIX)/share/man/man1/$$m; done
	for m in $(notdir $(wildcard man/*.3)); do rm -f $(DESTDIR)$(PREFIX)/share/man/man3/$$m; done
	$(foreach a,$(MAN3_ALIASES),rm -f $(DESTDIR)$(PREFIX)/share/man/man3/$(firstword $(subst :, ,$(a))).3;)
	for m in $(notdir $(wildcard man/*.5)); do rm -f $(DESTDIR)$(PREFIX)/share/man/man5/$$m; done

clean:
	rm -rf $(CLEAN_DIRS)

-include $(shell find $(B) -name '*.d' 2>/dev/null)

# README's first command: install dependencies, build, then scaffold, build
# and run the hello unikernel in a temporary directory.
.PHONY: quickstart
quickstart:
	.ci/deps
	$(MAKE) all
	@d=$$(mktemp -d) && \
	  $(B)/mirleft new $$d/hello && \
	  cd $$d/hello && $(CURDIR)/$(B)/mirleft build && \
	  $(CURDIR)/$(B)/mirleft run && \
	  echo "quickstart: the hello project is in $$d/hello" && \
	  echo "quickstart: to use mirleft from anywhere (README, Using it):" && \
	  echo "    export PATH=\"$(CURDIR)/$(B):\$$PATH\""
