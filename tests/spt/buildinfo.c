/* A build-info note as mirleft generates for real images (name "mirleft",
 * type 1), so the test guests' note_buildinfo PT_NOTE is not empty. */
struct note {
    unsigned int namesz, descsz, type;
    char name[8];
    char desc[16];
};

__attribute__((section(".note.mirleft.buildinfo"), aligned(4), used, retain))
const struct note mlgen_buildinfo = { 8, 12, 1, "mirleft", "target=spt\n" };
