#!/bin/busybox sh
# mirleft-vm's init (PID 1 of the emulated VM). It loads the modules the
# initramfs carries, mounts the host's root read-only over 9p at /mnt with
# the job's writable and tmpfs directories on top, bridges each host tap
# to a tap of the same name, then runs /job/cmd chrooted into /mnt with its
# output on the "stdout" and "stderr" ports, writes its status to
# /job/status and powers off. Messages go to the serial console, which
# mirleft-vm keeps in a log and shows when something failed.
B=/bin/busybox
fail() {
    echo "mirleft-vm init: $*"
    $B poweroff -f
}
$B mount -t proc proc /proc
$B mount -t sysfs sys /sys
$B mount -t devtmpfs dev /dev
for m in $($B cat /mod/order); do
    $B insmod "/mod/$m.ko" || fail "cannot load module $m"
done
o=trans=virtio,version=9p2000.L,msize=512000
$B mount -t 9p -o $o job /job || fail "cannot mount the job directory"
$B mount -t 9p -o $o,cache=mmap,ro root /mnt || fail "cannot mount the host's root"
while read -r tag kind path; do
    case $kind in
    rw) $B mount -t 9p -o $o,cache=mmap "$tag" "/mnt$path" ;;
    tmpfs) $B mount -t tmpfs -o mode=1777 "$tag" "/mnt$path" ;;
    esac || fail "cannot mount $path ($kind)"
done </job/mounts
$B mount -t proc proc /mnt/proc
$B mount -t sysfs sys /mnt/sys
$B mount -t devtmpfs dev /mnt/dev
$B mkdir -p /mnt/dev/pts /mnt/dev/shm
$B mount -t devpts devpts /mnt/dev/pts
$B mount -t tmpfs shm /mnt/dev/shm
$B mount -t tmpfs run /mnt/run
$B ln -s /proc/self/fd /mnt/dev/fd
$B ln -s /proc/self/fd/0 /mnt/dev/stdin
$B ln -s /proc/self/fd/1 /mnt/dev/stdout
$B ln -s /proc/self/fd/2 /mnt/dev/stderr
for p in /sys/class/virtio-ports/*; do
    $B ln -s "/dev/${p##*/}" "/dev/port-$($B cat "$p/name")"
done
$B hostname mirleft-vm
$B chroot /mnt ip link set lo up
n=0
while read -r mac tap; do
    dev=
    for a in /sys/class/net/*/address; do
        [ "$($B cat "$a")" = "$mac" ] && dev=${a%/address} && dev=${dev##*/}
    done
    [ -n "$dev" ] || fail "no interface with MAC $mac for $tap"
    $B chroot /mnt sh -e -c "ip link add mlvmbr$n type bridge
        ip tuntap add dev $tap mode tap
        ip link set $dev master mlvmbr$n
        ip link set $tap master mlvmbr$n
        ip link set $dev up; ip link set $tap up; ip link set mlvmbr$n up" ||
        fail "cannot bridge $dev to $tap"
    n=$((n + 1))
done </job/taps
$B cp /job/cmd /mnt/run/mirleft-vm.cmd
$B chroot /mnt /bin/sh /run/mirleft-vm.cmd </dev/null >/dev/port-stdout 2>/dev/port-stderr &
pid=$!
while read -r sig; do $B kill -"$sig" $pid; done </dev/port-ctl &
wait $pid
echo $? >/job/status
$B sync
$B poweroff -f
