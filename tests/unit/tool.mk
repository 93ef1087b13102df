# Unit tests of the tool's modules (src/), linked against its objects.
TOOL_TEST_SRCS := $(sort $(wildcard tests/unit/test_tool_*.c))
TOOL_TEST_BINS := $(patsubst tests/unit/%.c,$(B)/tests/unit/%,$(TOOL_TEST_SRCS))
TOOL_LIB_OBJS := $(filter-out $(B)/tool/src/main.o $(B)/tool/src/cmd_%.o,$(TOOL_OBJS))

UNIT_BINS += $(TOOL_TEST_BINS)

$(B)/tests/unit/test_tool_%: tests/unit/test_tool_%.c $(TOOL_LIB_OBJS)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(TOOL_CPPFLAGS) -Itests/unit -o $@ $< $(TOOL_LIB_OBJS) $(TOOL_LIBS)
