// Simulated peripherals the runner can attach for tests: I2C register
// files and SPI loopback devices. attach() returns { finish() }.
'use strict';

function attach(mcu, clock, o) {
  for (const spec of o.i2c) attachI2c(mcu, spec);
  attachSpi(mcu, clock, o.spi);
  return { finish() {} };
}

// BUS:ADDR:HEX: a device at 7-bit ADDR whose registers are the bytes of
// HEX. A write's first byte selects the register; later bytes write from
// there; reads return registers from the selected one on. Every other
// address NAKs.
function attachI2c(mcu, spec) {
  const m = /^([01]):(0x[0-9a-fA-F]+|\d+):([0-9a-fA-F]*)$/.exec(spec);
  if (!m || m[3].length % 2) throw new Error(`--i2c=${spec}: expected BUS:ADDR:HEX`);
  const bus = mcu.i2c[Number(m[1])], addr = Number(m[2]);
  const regs = Buffer.from(m[3], 'hex');
  let reg = 0, first = false, selected = false;
  bus.onStart = () => bus.completeStart();
  bus.onConnect = (a, mode) => {
    selected = a === addr;
    first = true;
    bus.completeConnect(selected);
  };
  bus.onWriteByte = (v) => {
    if (!selected) return bus.completeWrite(false);
    if (first) reg = v;
    else if (reg < regs.length) regs[reg++] = v;
    first = false;
    bus.completeWrite(true);
  };
  bus.onReadByte = () => bus.completeRead(reg < regs.length ? regs[reg++] : 0xff);
  bus.onStop = () => bus.completeStop();
}

// Both SPI buses get a wire model: a frame takes 8 bit times at the rate
// the firmware set, and the receive timeout interrupt (RT: data waits in
// the RX FIFO after 32 bit times of silence), which rp2040js lacks, is
// raised. What comes back is 0 (nothing attached) or, with BUS:loopback,
// every frame sent.
function spiWire(mcu, clock, n, loopback) {
  const bus = mcu.spi[n];
  const bitNs = () => 1e9 / (bus.clockFrequency || 1e6);
  let frame = 0;
  const timeout = clock.createAlarm(() => {
    if (!bus.rxFIFO.empty && bus.txFIFO.empty) {
      bus.intRaw |= 1 << 1;
      bus.checkInterrupts();
    }
  });
  const done = clock.createAlarm(() => {
    bus.completeTransmit(loopback ? frame : 0);
    timeout.schedule(32 * bitNs());
  });
  bus.onTransmit = (v) => {
    frame = v;
    timeout.cancel();
    done.schedule(8 * bitNs());
  };
}

function attachSpi(mcu, clock, specs) {
  const loop = [false, false];
  for (const spec of specs) {
    const m = /^([01]):loopback$/.exec(spec);
    if (!m) throw new Error(`--spi=${spec}: expected BUS:loopback`);
    loop[Number(m[1])] = true;
  }
  spiWire(mcu, clock, 0, loop[0]);
  spiWire(mcu, clock, 1, loop[1]);
}

module.exports = { attach };
