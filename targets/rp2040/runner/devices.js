// Simulated peripherals the runner can attach for tests: I2C register
// files and SPI loopback devices. attach() returns { finish() }.
'use strict';

function attach(mcu, clock, o) {
  for (const spec of o.i2c) attachI2c(mcu, spec);
  for (const spec of o.spi) attachSpi(mcu, spec);
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

// BUS:loopback: every frame sent comes back as the frame received.
function attachSpi(mcu, spec) {
  const m = /^([01]):loopback$/.exec(spec);
  if (!m) throw new Error(`--spi=${spec}: expected BUS:loopback`);
  const bus = mcu.spi[Number(m[1])];
  bus.onTransmit = (v) => bus.completeTransmit(v);
}

module.exports = { attach };
