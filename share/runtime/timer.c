/* Timers in a binary min-heap made of the timers themselves: each armed
 * timer links to its parent and children, and the heap's shape is the
 * usual complete tree, so the node at 1-based position p is reached from
 * the root by following p's bits below its top bit (0 left, 1 right).
 * Insert goes to position count+1 and sifts up; removal moves the last
 * node into the hole and sifts it whichever way it needs. Both O(log n),
 * no allocation, no capacity limit. Sifting swaps nodes, not contents,
 * so a caller's pointer always stays with its timer. */
#include <mirleft/timer.h>

static struct {
    struct ml_timer *root;
    size_t count;
    uint64_t seq;
} T;

/* Heap order: earlier deadline first; equal deadlines in arming order. */
static int before(const struct ml_timer *a, const struct ml_timer *b)
{
    if (a->deadline != b->deadline)
        return a->deadline < b->deadline;
    return a->seq < b->seq;
}

/* The link that holds (or would hold) position pos, and its parent. */
static struct ml_timer **slot(size_t pos, struct ml_timer **parent)
{
    struct ml_timer **link = &T.root;
    unsigned k = 0;

    while (pos >> (k + 1))
        k++;
    *parent = NULL;
    while (k--) {
        *parent = *link;
        link = (pos >> k) & 1 ? &(*link)->right : &(*link)->left;
    }
    return link;
}

/* Exchanges c with its parent in the tree. */
static void swap_up(struct ml_timer *c)
{
    struct ml_timer *p = c->parent, *gp = p->parent;
    struct ml_timer *cl = c->left, *cr = c->right, *sib;

    if (p->left == c) {
        sib = p->right;
        c->left = p;
        c->right = sib;
    } else {
        sib = p->left;
        c->left = sib;
        c->right = p;
    }
    if (sib)
        sib->parent = c;
    p->left = cl;
    p->right = cr;
    if (cl)
        cl->parent = p;
    if (cr)
        cr->parent = p;
    p->parent = c;
    c->parent = gp;
    if (!gp)
        T.root = c;
    else if (gp->left == p)
        gp->left = c;
    else
        gp->right = c;
}

static void sift_up(struct ml_timer *t)
{
    while (t->parent && before(t, t->parent))
        swap_up(t);
}

static void sift_down(struct ml_timer *t)
{
    for (;;) {
        struct ml_timer *m = t->left;
        if (!m)
            return;
        if (t->right && before(t->right, m))
            m = t->right;
        if (!before(m, t))
            return;
        swap_up(m);
    }
}

static void heap_insert(struct ml_timer *t)
{
    struct ml_timer *parent, **link = slot(++T.count, &parent);

    t->left = t->right = NULL;
    t->parent = parent;
    *link = t;
    sift_up(t);
}

static void heap_remove(struct ml_timer *t)
{
    struct ml_timer *parent, **link = slot(T.count--, &parent);
    struct ml_timer *last = *link;

    *link = NULL;
    if (last == t)
        return;
    /* The last node takes t's place, then finds its level. */
    last->left = t->left;
    last->right = t->right;
    last->parent = t->parent;
    if (last->left)
        last->left->parent = last;
    if (last->right)
        last->right->parent = last;
    if (!t->parent)
        T.root = last;
    else if (t->parent->left == t)
        t->parent->left = last;
    else
        t->parent->right = last;
    sift_up(last);
    sift_down(last);
}

void ml_timer_init(struct ml_timer *t, ml_timer_fn fn, void *arg)
{
    t->deadline = t->period = t->seq = 0;
    t->fn = fn;
    t->arg = arg;
    t->parent = t->left = t->right = NULL;
    t->armed = false;
}

void ml_timer_start_at(struct ml_timer *t, ml_time_t deadline,
                       ml_time_t period)
{
    if (t->armed)
        heap_remove(t);
    t->deadline = deadline;
    t->period = period;
    t->seq = T.seq++;
    t->armed = true;
    heap_insert(t);
}

void ml_timer_start(struct ml_timer *t, ml_time_t delay, ml_time_t period)
{
    ml_time_t now = ml_plat_clock_monotonic();
    ml_time_t d = now + delay;

    ml_timer_start_at(t, d < now ? (ml_time_t)-1 : d, period);
}

void ml_timer_stop(struct ml_timer *t)
{
    if (t->armed) {
        heap_remove(t);
        t->armed = false;
    }
}

bool ml_timer_armed(const struct ml_timer *t)
{
    return t->armed;
}

ml_time_t ml_timer_deadline(const struct ml_timer *t)
{
    return t->deadline;
}

size_t ml_timer_count(void)
{
    return T.count;
}

struct ml_timer *ml_timer_first(void)
{
    return T.root;
}

void ml_timer_run_due(ml_time_t now)
{
    /* At most as many firings as there were timers: a callback re-arming
     * itself with no delay must not keep the loop from polling devices. */
    size_t budget = T.count;
    struct ml_timer *t;

    while (budget-- && (t = T.root) && t->deadline <= now) {
        heap_remove(t);
        t->armed = false;
        if (t->period) {
            /* Next tick after now, keeping the phase; ticks missed while
             * the loop was busy are skipped, not replayed in a burst. */
            ml_time_t late = now - t->deadline;
            ml_time_t next = t->deadline + (late / t->period + 1) * t->period;
            ml_timer_start_at(t, next < t->deadline ? (ml_time_t)-1 : next,
                              t->period);
        }
        t->fn(t, t->arg);
    }
}
