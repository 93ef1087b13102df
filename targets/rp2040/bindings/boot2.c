/*
 * boot2, the second stage the boot ROM loads: the first 256 bytes of
 * flash, copied to SRAM at 0x20041F00 and entered there only if the CRC32
 * in bytes 252..255 is right (tools/rp2040-image patches it after the
 * link and checks it). Its job is to make the XIP window at 0x10000000
 * read flash: it sets the SSI up for plain 03h reads (any SPI NOR flash,
 * SCK = clk_sys / 4), then, when entered from the boot ROM (LR == 0),
 * points VTOR at the vector table at 0x10000100 and jumps to its reset
 * handler with its stack. Entered from elsewhere it returns.
 *
 * It runs from SRAM, so it is position independent: PC-relative literals
 * and branches only. Register facts: SSI at 0x18000000, SSIENR +0x08,
 * BAUDR +0x14, CTRLR0 +0x00 (SPI_FRF 0, DFS_32 31, TMOD 3 EEPROM read),
 * CTRLR1 +0x04, SPI_CTRLR0 +0xF4 (XIP_CMD 0x03, INST_L 8 bits, ADDR_L 24
 * bits); VTOR 0xE000ED08.
 */
__asm__(
    "    .section .boot2, \"ax\", %progbits\n"
    "    .syntax unified\n"
    "    .thumb\n"
    "    .global ml_rp2040_boot2\n"
    "    .type ml_rp2040_boot2, %function\n"
    "    .thumb_func\n"
    "ml_rp2040_boot2:\n"
    "    ldr  r3, 1f\n"              /* SSI base */
    "    movs r0, #0\n"
    "    str  r0, [r3, #0x08]\n"     /* SSIENR = 0: SSI off to program it */
    "    movs r0, #4\n"
    "    str  r0, [r3, #0x14]\n"     /* BAUDR = 4 */
    "    ldr  r0, 2f\n"
    "    str  r0, [r3, #0x00]\n"     /* CTRLR0 */
    "    movs r0, #0\n"
    "    str  r0, [r3, #0x04]\n"     /* CTRLR1 = 0: one frame per access */
    "    ldr  r0, 3f\n"
    "    ldr  r1, 4f\n"
    "    str  r0, [r1]\n"            /* SPI_CTRLR0 */
    "    movs r0, #1\n"
    "    str  r0, [r3, #0x08]\n"     /* SSIENR = 1: XIP is live */
    "    mov  r0, lr\n"
    "    cmp  r0, #0\n"
    "    bne  6f\n"                  /* not from the boot ROM: return */
    "    ldr  r0, 5f\n"              /* the vector table */
    "    ldr  r1, 7f\n"
    "    str  r0, [r1]\n"            /* VTOR */
    "    ldmia r0!, {r1, r2}\n"      /* initial SP, reset handler */
    "    msr  msp, r1\n"
    "    bx   r2\n"
    "6:  bx   lr\n"
    "    .balign 4\n"
    "1:  .word 0x18000000\n"
    "2:  .word 0x001F0300\n"
    "3:  .word 0x03000218\n"
    "4:  .word 0x180000F4\n"
    "5:  .word 0x10000100\n"
    "7:  .word 0xE000ED08\n"
    "    .size ml_rp2040_boot2, . - ml_rp2040_boot2\n"
    "    .text\n");
