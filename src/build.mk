# The mirleft tool itself (host code).
TOOL_SRCS := $(sort $(wildcard src/*.c)) share/runtime/args_value.c
TOOL_OBJS := $(patsubst %.c,$(B)/tool/%.o,$(TOOL_SRCS))
TOOL_CPPFLAGS := -Ishare/include -Ishare/solo5/include -Isrc
TOOL_LIBS := -lyaml -lcrypto -lcurl -lgit2 -larchive

BINS += $(B)/mirleft

$(B)/mirleft: $(TOOL_OBJS)
	$(CC) $(HOST_LDFLAGS) -o $@ $^ $(TOOL_LIBS)

$(B)/tool/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(TOOL_CPPFLAGS) -c $< -o $@
