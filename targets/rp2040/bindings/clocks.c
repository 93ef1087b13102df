/*
 * Clock bring-up from the state the boot ROM leaves (clk_sys on the ring
 * oscillator, most blocks in reset): the 12 MHz crystal, PLL_SYS at
 * 125 MHz (REFDIV 1, FBDIV 125: VCO 1500 MHz, POSTDIV 6 x 2), clk_ref
 * from the crystal, clk_sys from the PLL, clk_peri from clk_sys, and the
 * watchdog's tick generator at 1 µs (12 clk_ref cycles), which drives the
 * TIMER. The glitchless muxes (clk_ref, clk_sys) are moved off their aux
 * source before it changes, as the datasheet requires.
 */
#include "rp2040.h"

#define CLK_REF_CTRL (CLOCKS_BASE + 0x30u)
#define CLK_REF_DIV (CLOCKS_BASE + 0x34u)
#define CLK_REF_SELECTED (CLOCKS_BASE + 0x38u)
#define CLK_SYS_CTRL (CLOCKS_BASE + 0x3Cu)
#define CLK_SYS_DIV (CLOCKS_BASE + 0x40u)
#define CLK_SYS_SELECTED (CLOCKS_BASE + 0x44u)
#define CLK_PERI_CTRL (CLOCKS_BASE + 0x48u)
#define CLK_SYS_RESUS_CTRL (CLOCKS_BASE + 0x78u)
#define CLK_PERI_ENABLE (1u << 11)

#define XOSC_CTRL (XOSC_BASE + 0x00u)
#define XOSC_STATUS (XOSC_BASE + 0x04u)
#define XOSC_STARTUP (XOSC_BASE + 0x0Cu)
#define XOSC_STABLE (1u << 31)
#define XOSC_RANGE_1_15MHZ 0xAA0u
#define XOSC_ENABLE (0xFABu << 12)

#define PLL_CS (PLL_SYS_BASE + 0x00u)
#define PLL_PWR (PLL_SYS_BASE + 0x04u)
#define PLL_FBDIV_INT (PLL_SYS_BASE + 0x08u)
#define PLL_PRIM (PLL_SYS_BASE + 0x0Cu)
#define PLL_LOCK (1u << 31)
#define PLL_PWR_PD (1u << 0)
#define PLL_PWR_POSTDIVPD (1u << 3)
#define PLL_PWR_VCOPD (1u << 5)

#define WATCHDOG_TICK (WATCHDOG_BASE + 0x2Cu)
#define TICK_ENABLE (1u << 9)

#define RESETS_RESET (RESETS_BASE + 0x00u)
#define RESETS_DONE (RESETS_BASE + 0x08u)

void ml_rp2040_unreset(uint32_t mask)
{
    REG_CLR(RESETS_RESET) = mask;
    while ((REG(RESETS_DONE) & mask) != mask)
        ;
}

static void xosc_start(void)
{
    REG(XOSC_CTRL) = XOSC_RANGE_1_15MHZ;
    /* about 1 ms, in units of 256 crystal cycles */
    REG(XOSC_STARTUP) = (ML_RP2040_XOSC_HZ / 1000 + 128) / 256;
    REG_SET(XOSC_CTRL) = XOSC_ENABLE;
    while (!(REG(XOSC_STATUS) & XOSC_STABLE))
        ;
}

static void pll_sys_start(void)
{
    REG_SET(RESETS_RESET) = RESET_PLL_SYS;
    ml_rp2040_unreset(RESET_PLL_SYS);
    REG(PLL_CS) = 1;                               /* REFDIV */
    REG(PLL_FBDIV_INT) = 125;
    REG_CLR(PLL_PWR) = PLL_PWR_PD | PLL_PWR_VCOPD;
    while (!(REG(PLL_CS) & PLL_LOCK))
        ;
    REG(PLL_PRIM) = (6u << 16) | (2u << 12);       /* POSTDIV1 6, POSTDIV2 2 */
    REG_CLR(PLL_PWR) = PLL_PWR_POSTDIVPD;
}

void ml_rp2040_clocks_init(void)
{
    REG(CLK_SYS_RESUS_CTRL) = 0;
    xosc_start();
    /* Off the aux sources before they change: clk_sys on clk_ref, clk_ref
     * on the ring oscillator. */
    REG_CLR(CLK_SYS_CTRL) = 1u;
    while (REG(CLK_SYS_SELECTED) != 1u)
        ;
    REG(CLK_REF_CTRL) = 0;
    while (REG(CLK_REF_SELECTED) != 1u)
        ;
    pll_sys_start();
    REG(CLK_REF_CTRL) = 2;                         /* xosc */
    while (REG(CLK_REF_SELECTED) != (1u << 2))
        ;
    REG(CLK_REF_DIV) = 1u << 8;
    REG(CLK_SYS_DIV) = 1u << 8;
    REG(CLK_SYS_CTRL) = 0;                         /* AUXSRC pll_sys, SRC clk_ref */
    REG(CLK_SYS_CTRL) = 1;                         /* SRC aux */
    while (REG(CLK_SYS_SELECTED) != (1u << 1))
        ;
    /* clk_peri has no glitchless mux: stop it, switch, start it. */
    REG(CLK_PERI_CTRL) = 0;
    REG(CLK_PERI_CTRL) = CLK_PERI_ENABLE;          /* AUXSRC clk_sys */
    REG(WATCHDOG_TICK) = TICK_ENABLE | (ML_RP2040_XOSC_HZ / 1000000u);
    ml_rp2040_unreset(RESET_IO_BANK0 | RESET_PADS_BANK0 | RESET_TIMER |
                      RESET_UART0);
}
