# The mirleft tool itself (host code), and its private shared object
# libmirleft-net.so (libcurl, libgit2, libarchive), loaded only when a
# command fetches or reads git (see src/netlib.h).
NET_SRCS := src/fetch.c src/git.c src/unpack.c src/netlib_so.c
TOOL_SRCS := $(filter-out $(NET_SRCS),$(sort $(wildcard src/*.c))) share/runtime/args_value.c share/runtime/edit_distance.c share/runtime/sha256.c
TOOL_OBJS := $(patsubst %.c,$(B)/tool/%.o,$(TOOL_SRCS))
NET_OBJS := $(patsubst %.c,$(B)/toolnet/%.o,$(NET_SRCS))
TOOL_CPPFLAGS := -Ishare/include -Ishare/solo5/include -Isrc
TOOL_LIBS := -lyaml
NET_LIBS := -lcurl -lgit2 -larchive

BINS += $(B)/mirleft
PRIVATE_LIBS += $(B)/libmirleft-net.so

all: $(B)/libmirleft-net.so

# -rdynamic: the shared object calls mirleft's own helpers (diagnostics,
# allocation, the cache).
$(B)/mirleft: $(TOOL_OBJS)
	$(CC) $(HOST_LDFLAGS) -rdynamic -o $@ $^ $(TOOL_LIBS)

$(B)/libmirleft-net.so: $(NET_OBJS)
	$(CC) $(HOST_LDFLAGS) -shared -o $@ $^ $(NET_LIBS)

$(B)/tool/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(TOOL_CPPFLAGS) -c $< -o $@

$(B)/toolnet/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -fPIC -fvisibility=hidden $(TOOL_CPPFLAGS) -c $< -o $@
