# mirleft-vm: runs a command in an emulated Linux VM (src/vm/vm.h). It
# shares the tool's cache, file and string helpers, and the init script
# is built into it from vm_init.sh.
VM_SRCS := $(wildcard src/vm/*.c)
VM_TOOL_OBJS := $(patsubst %.c,$(B)/tool/%.o,src/cache.c src/diag.c src/digest.c \
	src/fsutil.c src/util.c share/runtime/edit_distance.c share/runtime/sha256.c)
VM_OBJS := $(patsubst %.c,$(B)/vm/%.o,$(VM_SRCS)) $(B)/vm/vm_init.o

BINS += $(B)/mirleft-vm

$(B)/mirleft-vm: $(VM_OBJS) $(VM_TOOL_OBJS)
	$(CC) $(HOST_LDFLAGS) -o $@ $^ -larchive

$(B)/vm/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(TOOL_CPPFLAGS) -Isrc/vm -c $< -o $@

# The script as a C string: each line quoted, backslashes and quotes escaped.
$(B)/vm/vm_init.c: src/vm/vm_init.sh
	@mkdir -p $(@D)
	{ echo '/* Generated from src/vm/vm_init.sh. */'; \
	  echo 'const char vm_init_script[] ='; \
	  sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/    "/' -e 's/$$/\\n"/' $<; \
	  echo ';'; } > $@.tmp && mv $@.tmp $@

$(B)/vm/vm_init.o: $(B)/vm/vm_init.c
	$(CC) $(HOST_CFLAGS) -c $< -o $@
