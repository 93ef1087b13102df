#!/usr/bin/env node
// The rp2040 target's runner: runs a mirleft rp2040 image in the rp2040js
// emulator as the board would, from its UF2: the boot ROM's part is done
// here (boot2's CRC32 checked, its 256 bytes copied to SRAM 0x20041F00 and
// entered with LR = 0), then boot2, the vector table and everything after
// run emulated. UART0 is this process's stdout, stdin feeds UART0 RX; the
// unikernel's `bkpt 0xab` ends the run with r0 as the exit status.
//
// The emulator is lenient where a board is not (it prints UART bytes with
// no clock, baud or pin set up, and its TIMER counts µs whatever the tick),
// so every console byte is checked against the set-up a board needs: clk_ref
// on the crystal, clk_sys on PLL_SYS at 125 MHz, clk_peri enabled, the
// watchdog tick at 12 cycles (1 µs), UART0 on, 8 bits, 115200 baud within
// 2 %, GPIO0 on its UART function. A mismatch ends the run (status 125).
//
// usage: run.js [OPTIONS] IMAGE(.elf|.uf2) [ARGS...]
// Options may also come from $MIRLEFT_RP2040_OPTS (space-separated), which
// is how `mirleft run -t rp2040` passes them. See usage() below.
'use strict';

const fs = require('fs');
const path = require('path');
const { RP2040, GPIOPinState } = require('rp2040js');
const devices = require('./devices.js');

const FLASH = 0x10000000;
const ARGS_BLOCK = 0x101ff000;
const ARGS_SIZE = 4096;
const ARGS_MAGIC = 0x5347524d;
const BOOT2_SRAM = 0x20041f00;
const RP2040_FAMILY = 0xe48bff56;
const EXIT_LIMIT = 124;   // a time limit was reached
const EXIT_RUNNER = 125;  // the runner refused the image or its set-up

function usage(out) {
  out.write(`usage: run.js [OPTIONS] IMAGE [ARGS...]
Runs an rp2040 image (NAME.elf beside NAME.uf2, or the .uf2) in rp2040js.
  --timeout=SEC        wall-clock limit (default 60)
  --sim-timeout=SEC    emulated-time limit (default 600)
  --gpio-trace=FILE    record every GPIO level change: "NS GPIOn 0|1|z"
  --gpio-drive=PIN:MS=0|1,...  drive input PIN to a level at emulated times
  --uart1-in=FILE      feed FILE's bytes to UART1 RX at the line rate, from 10 ms
  --uart1-out=FILE     write what UART1 sends to FILE
  --uart1-baud=N       UART1's expected baud rate (default 115200)
  --i2c=BUS:ADDR:HEX   attach a register-file I2C device (HEX: its registers)
  --spi=BUS:loopback   attach an SPI device that echoes what it receives
  --no-debugger        behave as a board with no debugger: the exit
                       breakpoint faults, and the run ends when the core halts
  --stats              print emulated times and cycle counts to stderr
  --board[=DIR]        do not emulate: copy the UF2, with ARGS baked in, to a
                       Pico in BOOTSEL mode (its RPI-RP2 drive, DIR or found)
Exit status: the unikernel's; ${EXIT_LIMIT} when a limit is reached; ${EXIT_RUNNER} when the
image is refused (bad UF2, boot2 CRC) or its clock/UART set-up is wrong.
`);
}

function die(msg, status = EXIT_RUNNER) {
  process.stderr.write(`rp2040-run: ${msg}\n`);
  process.exit(status);
}

function parseArgs(argv) {
  const o = { timeout: 60, simTimeout: 600, i2c: [], spi: [], gpioDrive: [], debugger: true, uart1Baud: 115200 };
  const env = (process.env.MIRLEFT_RP2040_OPTS || '').split(' ').filter((s) => s);
  const all = env.concat(argv);
  let i = 0;
  for (; i < all.length && all[i].startsWith('--'); i++) {
    const [k, v] = all[i].includes('=') ? [all[i].slice(0, all[i].indexOf('=')), all[i].slice(all[i].indexOf('=') + 1)] : [all[i], undefined];
    if (k === '--timeout' || k === '--sim-timeout') {
      const n = Number(v);
      if (!(n > 0)) die(`${k}: expected seconds, got '${v}'`, 2);
      o[k === '--timeout' ? 'timeout' : 'simTimeout'] = n;
    } else if (k === '--gpio-trace' && v) o.gpioTrace = v;
    else if (k === '--i2c' && v) o.i2c.push(v);
    else if (k === '--gpio-drive' && v) o.gpioDrive.push(v);
    else if (k === '--uart1-in' && v) o.uart1In = v;
    else if (k === '--uart1-out' && v) o.uart1Out = v;
    else if (k === '--uart1-baud' && Number(v) > 0) o.uart1Baud = Number(v);
    else if (k === '--spi' && v) o.spi.push(v);
    else if (k === '--no-debugger') o.debugger = false;
    else if (k === '--board') o.board = v === undefined ? '' : v;
    else if (k === '--stats') o.stats = true;
    else if (k === '--help') { usage(process.stdout); process.exit(0); }
    else { usage(process.stderr); die(`unknown option ${all[i]}`, 2); }
  }
  if (i >= all.length) { usage(process.stderr); process.exit(2); }
  o.image = all[i];
  o.args = all.slice(i + 1);
  return o;
}

// UF2 blocks for the RP2040 family, written into the emulated flash.
function loadUf2(file, flash) {
  const buf = fs.readFileSync(file);
  if (buf.length === 0 || buf.length % 512) die(`${file}: not a UF2 file`);
  let n = 0;
  for (let off = 0; off < buf.length; off += 512) {
    const w = (i) => buf.readUInt32LE(off + i);
    if (w(0) !== 0x0a324655 || w(4) !== 0x9e5d5157 || w(508) !== 0x0ab16f30)
      die(`${file}: block ${off / 512}: bad UF2 magic`);
    if (!(w(8) & 0x2000) || w(28) !== RP2040_FAMILY) continue;
    const addr = w(12), size = w(16);
    if (addr < FLASH || addr + size > FLASH + flash.length || size > 476)
      die(`${file}: block ${off / 512} at 0x${addr.toString(16)} is not in flash`);
    flash.set(buf.subarray(off + 32, off + 32 + size), addr - FLASH);
    n++;
  }
  if (!n) die(`${file}: no RP2040 (family 0xe48bff56) blocks`);
}

// PIN:MS=LEVEL,MS=LEVEL...: an external driver on an input pin.
function driveInput(mcu, clock, spec) {
  const m = /^(\d+):((?:[\d.]+=[01],?)+)$/.exec(spec);
  if (!m || Number(m[1]) > 29) die(`--gpio-drive=${spec}: expected PIN:MS=0|1,...`, 2);
  const pin = mcu.gpio[Number(m[1])];
  const steps = m[2].split(',').filter((x) => x).map((x) => x.split('='))
    .map(([ms, v]) => [Number(ms) * 1e6, v === '1']).sort((a, b) => a[0] - b[0]);
  const alarm = clock.createAlarm(() => {
    const [, level] = steps.shift();
    pin.setInputValue(level);
    if (steps.length) alarm.schedule(steps[0][0] - clock.nanos);
  });
  if (steps.length) alarm.schedule(steps[0][0]);
}

function crc32Mpeg2(bytes) {
  let crc = 0xffffffff;
  for (const b of bytes) {
    crc ^= b << 24;
    for (let k = 0; k < 8; k++) crc = crc & 0x80000000 ? (crc << 1) ^ 0x04c11db7 : crc << 1;
  }
  return crc >>> 0;
}

function writeArgs(flash, args) {
  const text = Buffer.from(args.join(' '));
  if (text.length + 9 > ARGS_SIZE) die(`the arguments are longer than the ${ARGS_SIZE - 9}-byte argument block`, 2);
  const off = ARGS_BLOCK - FLASH;
  flash.fill(0xff, off, off + ARGS_SIZE);
  const hdr = Buffer.alloc(8);
  hdr.writeUInt32LE(ARGS_MAGIC, 0);
  hdr.writeUInt32LE(text.length, 4);
  flash.set(hdr, off);
  flash.set(text, off + 8);
  flash[off + 8 + text.length] = 0;
}

// What a board needs before its UART says anything; '' when all is right.
function setupProblem(mcu) {
  const r = (a) => mcu.readUint32(a) >>> 0;
  const problems = [];
  if ((r(0x40024000) >>> 12 & 0xfff) !== 0xfab) problems.push('the crystal oscillator (XOSC) is not enabled');
  if (r(0x40008038) !== 1 << 2) problems.push('clk_ref is not on the crystal');
  if (r(0x40008044) !== 1 << 1 || (r(0x4000803c) >>> 5 & 7) !== 0) problems.push('clk_sys is not on PLL_SYS');
  if (mcu.clkSys !== 125e6) problems.push(`clk_sys is ${mcu.clkSys / 1e6} MHz, expected 125`);
  const peri = r(0x40008048);
  if (!(peri & 1 << 11)) problems.push('clk_peri is not enabled (CLK_PERI_CTRL.ENABLE)');
  else if ((peri >>> 5 & 7) !== 0 || mcu.clkPeri !== 125e6) problems.push(`clk_peri is ${mcu.clkPeri / 1e6} MHz from source ${peri >>> 5 & 7}, expected clk_sys`);
  const tick = mcu.tickWritten;   // rp2040js keeps only the enable bit
  if (!(tick & 1 << 9) || (tick & 0x1ff) !== 12) problems.push(`the watchdog tick is ${tick & 1 << 9 ? (tick & 0x1ff) + ' cycles' : 'off'}, expected 12 cycles of the 12 MHz clk_ref (1 µs for the TIMER)`);
  const u = mcu.uart[0];
  if (!u.enabled || !u.txEnabled) problems.push('UART0 is not enabled for transmit');
  if (u.wordLength !== 8) problems.push(`UART0 sends ${u.wordLength} bits, expected 8`);
  if (Math.abs(u.baudRate - 115200) > 115200 * 0.02) problems.push(`UART0 runs at ${Math.round(u.baudRate)} baud, expected 115200`);
  if (mcu.gpio[0].functionSelect !== 2) problems.push(`GPIO0 is on function ${mcu.gpio[0].functionSelect}, not UART0 TX (2)`);
  return problems.join('; ');
}

// --board: the real thing. tools/rp2040-image flash does the copy.
function toBoard(o) {
  const tool = path.join(__dirname, '..', 'tools', 'rp2040-image');
  const argv = [tool, 'flash'].concat(o.board ? [`--drive=${o.board}`] : [], [o.image]);
  if (o.args.length) argv.push('--', ...o.args);
  const r = require('child_process').spawnSync('python3', argv, { stdio: 'inherit' });
  process.exit(r.status === null ? EXIT_RUNNER : r.status);
}

function main() {
  const o = parseArgs(process.argv.slice(2));
  if (o.board !== undefined) return toBoard(o);
  const uf2 = o.image.endsWith('.elf') ? o.image.slice(0, -4) + '.uf2' : o.image;
  if (!fs.existsSync(uf2)) die(`${uf2} does not exist (the build writes it beside the .elf)`);
  const mcu = new RP2040();   // its default clock is simulated time
  const clock = mcu.clock;
  mcu.logger = { debug() {}, info() {}, warn() {}, error(c, m) { process.stderr.write(`rp2040js: ${c}: ${m}\n`); } };
  const wd = mcu.findPeripheral(0x40058000);
  const wdWrite = wd.writeUint32.bind(wd);
  mcu.tickWritten = 0;
  wd.writeUint32 = (off, v) => { if (off === 0x2c) mcu.tickWritten = v >>> 0; wdWrite(off, v); };
  loadUf2(uf2, mcu.flash);
  // ARGS replace the image's argument block; with none, the block the
  // UF2 carries (empty, or baked by rp2040-image args) stays.
  if (o.args.length) writeArgs(mcu.flash, o.args);

  // The boot ROM's flash boot: boot2 runs only if its CRC32 is right.
  const boot2 = mcu.flash.subarray(0, 256);
  const want = crc32Mpeg2(boot2.subarray(0, 252));
  const have = Buffer.from(boot2).readUInt32LE(252);
  if (want !== have)
    die(`boot2 CRC32 mismatch (stored 0x${have.toString(16).padStart(8, '0')}, computed 0x${want.toString(16).padStart(8, '0')}): ` +
        'the boot ROM would not run this image and would fall back to USB boot');
  mcu.sram.set(boot2, BOOT2_SRAM - 0x20000000);
  const core = mcu.core;
  core.SP = BOOT2_SRAM;
  core.LR = 0;
  core.PC = BOOT2_SRAM;

  const out = [];
  let firstByteNs = -1, status = null;
  const flushOut = () => { if (out.length) { process.stdout.write(Buffer.from(out)); out.length = 0; } };
  mcu.uart[0].onByte = (b) => {
    if (firstByteNs < 0) firstByteNs = clock.nanos;
    const p = setupProblem(mcu);
    if (p) { flushOut(); die(`console byte sent with a set-up a board would garble: ${p}`); }
    out.push(b);
    if (b === 10 || out.length >= 256) flushOut();
  };

  const attached = devices.attach(mcu, clock, o);
  const uart1Out = [];
  mcu.uart[1].onByte = (b) => {
    const u = mcu.uart[1];
    if (!u.enabled || !u.txEnabled || u.wordLength !== 8 || Math.abs(u.baudRate - o.uart1Baud) > o.uart1Baud * 0.02) {
      flushOut();
      die(`UART1 byte sent at ${Math.round(u.baudRate)} baud, ${u.wordLength} bits, expected ${o.uart1Baud} 8N1`);
    }
    uart1Out.push(b);
  };
  if (o.uart1In) {
    const bytes = [...fs.readFileSync(o.uart1In)];
    const ns = 1e9 * 10 / o.uart1Baud;
    const feed = clock.createAlarm(() => {
      // a board's line has no flow control: a byte the FIFO cannot take is lost
      mcu.uart[1].feedByte(bytes.shift());
      if (bytes.length) feed.schedule(ns);
    });
    // from 10 ms after reset: the unikernel has set UART1 up by then
    if (bytes.length) feed.schedule(10e6);
  }
  // A driven pin's pad feeds its level back to the input, as on the chip
  // (rp2040js keeps input and output apart).
  mcu.gpio.forEach((pin) => pin.addListener((state) => {
    if (state === GPIOPinState.High || state === GPIOPinState.Low)
      pin.setInputValue(state === GPIOPinState.High);
  }));
  // An input nothing drives reads its pad's pull (rp2040js reads 0 for
  // every undriven pin): follow the pad register's PUE/PDE bits.
  const driven = new Set(o.gpioDrive.map((spec) => Number(spec.split(':')[0])));
  const pads = mcu.findPeripheral(0x4001c000);
  const padWrite = pads.writeUint32.bind(pads);
  pads.writeUint32 = (off, v) => {
    padWrite(off, v);
    const n = (off - 4) >> 2;
    const pin = mcu.gpio[n];
    if (off < 4 || !pin || driven.has(n) || pin.outputEnable) return;
    if (v & 1 << 3) pin.setInputValue(true);        // PUE
    else if (v & 1 << 2) pin.setInputValue(false);  // PDE
  };
  for (const spec of o.gpioDrive) driveInput(mcu, clock, spec);
  let trace = null;
  if (o.gpioTrace) {
    trace = [];
    mcu.gpio.forEach((pin, i) => pin.addListener((state) => {
      const v = state === GPIOPinState.High ? '1' : state === GPIOPinState.Low ? '0' : 'z';
      trace.push(`${Math.round(clock.nanos)} GPIO${i} ${v}`);
    }));
  }

  let halted = false;
  // rp2040js calls onBreak for BKPT and for UDF (undefined) alike. Only
  // the exit breakpoint under a debugger ends the run here; anything else
  // is what a board does: a HardFault, which the image's handler records
  // and halts on (reported below).
  mcu.onBreak = (code) => {
    if (code === 0xab && o.debugger) { status = core.registers[0] & 0xff; return; }
    core.PC -= core.breakRewind || 2;
    core.exceptionEntry(3);
  };

  // stdin to UART0 RX, one byte per character time (10 bits at 115200).
  const rxQueue = [];
  const charNs = 1e9 * 10 / 115200;
  const rxAlarm = clock.createAlarm(() => {
    if (rxQueue.length) mcu.uart[0].feedByte(rxQueue.shift());
    if (rxQueue.length) rxAlarm.schedule(charNs);
  });
  let stdinOpen = true;
  process.stdin.on('end', () => { stdinOpen = false; });
  process.stdin.on('error', () => { stdinOpen = false; });
  {
    process.stdin.on('data', (d) => {
      const was = rxQueue.length;
      for (const b of d) rxQueue.push(b);
      if (!was) rxAlarm.schedule(charNs);
    });
  }

  const wallStart = Date.now();
  const simLimitNs = o.simTimeout * 1e9;
  const finish = (code, why) => {
    flushOut();
    if (trace) fs.writeFileSync(o.gpioTrace, trace.join('\n') + (trace.length ? '\n' : ''));
    attached.finish();
    if (o.uart1Out) fs.writeFileSync(o.uart1Out, Buffer.from(uart1Out));
    if (o.stats)
      process.stderr.write(`rp2040-run: emulated ${(clock.nanos / 1e6).toFixed(3)} ms, ${core.cycles} cycles, ` +
        `first console byte at ${firstByteNs < 0 ? 'none' : (firstByteNs / 1e3).toFixed(1) + ' µs'}, ` +
        `wall ${Date.now() - wallStart} ms\n`);
    if (why) process.stderr.write(`rp2040-run: ${why}\n`);
    process.exit(code);
  };

  // The core is driven here rather than by rp2040js's Simulator, which
  // assumes 125 MHz and lets a pending SysTick hang WFI.
  function slice() {
    let idle = false;
    for (let i = 0; i < 200000; i++) {
      if (status !== null) return finish(status);
      if (core.waiting) {
        if (core.interruptsUpdated && core.checkForInterrupts()) { core.waiting = false; continue; }
        // WFI ends on a pending enabled IRQ even with PRIMASK set (the
        // handler runs once interrupts are enabled); rp2040js misses this.
        if (core.pendingInterrupts & core.enabledInterrupts) { core.waiting = false; continue; }
        if (core.PM && core.enabledInterrupts === 0) { halted = true; break; }
        const dt = clock.nanosToNextAlarm;
        if (!clock.nextAlarm) {
          // nothing scheduled: only stdin can wake the core now
          if (stdinOpen) { idle = true; break; }
          halted = true;
          break;
        }
        if (clock.nanos + dt > simLimitNs) return finish(EXIT_LIMIT, `emulated-time limit of ${o.simTimeout} s reached`);
        clock.tick(dt);
      } else {
        const cycles = core.executeInstruction();
        clock.tick(cycles * 1e9 / mcu.clkSys);
      }
    }
    if (halted) {
      const magic = mcu.readUint32(0x40058010) >>> 0, value = mcu.readUint32(0x4005800c) >>> 0;
      if (magic === 0x6d6c6578) return finish(value & 0xff, o.debugger ? null : `halted without a debugger: exit status ${value} in watchdog SCRATCH0`);
      if (magic === 0x6d6c6661) return finish(EXIT_RUNNER, `the unikernel faulted (PC 0x${value.toString(16)}) and halted`);
      if (core.PM && core.enabledInterrupts === 0)
        return finish(EXIT_RUNNER, 'the core sleeps with every interrupt masked: it can never wake');
      return finish(EXIT_RUNNER, 'the core sleeps with no timer armed and stdin closed: nothing can wake it');
    }
    if (clock.nanos > simLimitNs) return finish(EXIT_LIMIT, `emulated-time limit of ${o.simTimeout} s reached`);
    if (Date.now() - wallStart > o.timeout * 1000) return finish(EXIT_LIMIT, `wall-clock limit of ${o.timeout} s reached`);
    if (idle) setTimeout(slice, 2);
    else setImmediate(slice);
  }
  slice();
}

main();
