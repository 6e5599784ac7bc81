#!/usr/bin/env bash
# Re-record data/sample.pcap: a small, real capture of mixed traffic between two
# network namespaces joined by a veth pair. Nothing leaves this machine.
# Usage: sudo data/record_sample.sh [OUTPUT.pcap]   (default: data/sample.pcap)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=${1:-$HERE/sample.pcap}
CNS=pf-client SNS=pf-server          # namespaces
CIF=pfc0 SIF=pfs0                    # veth ends (client, server)
CMAC=02:50:46:00:00:01 SMAC=02:50:46:00:00:02
C4=10.77.0.1 S4=10.77.0.2 C6=fd77::1 S6=fd77::2
DOM=pcapframe.test

die() { echo "record_sample: $*" >&2; exit 1; }
[[ $(id -u) -eq 0 ]] || die "must run as root (namespaces + packet capture): sudo $0"
for t in ip tcpdump dnsmasq dig curl python3 ping capinfos ethtool; do
  command -v "$t" >/dev/null || die "required tool '$t' not found in PATH"
done
command -v tshark >/dev/null || echo "record_sample: tshark missing, protocol summary will be skipped" >&2
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy

TMP=$(mktemp -d /tmp/pf-record.XXXXXX)
PIDS=()
cleanup() {
  local rc=$?
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  ip netns del "$CNS" 2>/dev/null || true
  ip netns del "$SNS" 2>/dev/null || true
  [[ $rc -ne 0 ]] && { echo "record_sample: FAILED (rc=$rc); logs:" >&2; tail -n 5 "$TMP"/*.log >&2 2>/dev/null || true; }
  rm -rf "$TMP" "$OUT.tmp.$$"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

C() { ip netns exec "$CNS" "$@"; }   # run in client namespace
# background server; ip netns exec execs the command, so $! is the server's own pid
bg_s() { local log=$1; shift; ip netns exec "$SNS" "$@" >"$TMP/$log.log" 2>&1 & PIDS+=($!); }
flush() { ip -n "$CNS" neigh flush all; ip -n "$SNS" neigh flush all; }  # so ARP/NDP recur
pause() { sleep "${1:-0.4}"; }

# ---- helper for the things no standard tool does (raw frames, UDP echo, files) ----
cat >"$TMP/helper.py" <<'PY'
import random, socket, struct, sys, time
cmd, a = sys.argv[1], sys.argv[2:]
def mac(s): return bytes.fromhex(s.replace(':', ''))
def csum(b):
    b += b'\0' * (len(b) & 1); s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16: s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff
def ipv4(src, dst, proto, payload, ident):
    h = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + len(payload), ident, 0x4000, 64, proto, 0,
                    socket.inet_aton(src), socket.inet_aton(dst))
    return h[:10] + struct.pack('!H', csum(h)) + h[12:] + payload
def vlan_eth(dst, src, vid, etype, payload):     # 802.1Q-tagged Ethernet frame
    return dst + src + struct.pack('!HHH', 0x8100, vid, etype) + payload
def arp(op, sha, spa, tha, tpa):
    return struct.pack('!HHBBH6s4s6s4s', 1, 0x0800, 6, 4, op, sha, socket.inet_aton(spa), tha, socket.inet_aton(tpa))
def rawsock(ifname):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW, socket.htons(3)); s.bind((ifname, 0))
    s.setsockopt(263, 8, 1)   # SOL_PACKET, PACKET_AUXDATA: the kernel strips rx VLAN tags into metadata
    return s
def recv_vlan(s, timeout):
    """Yield (vid, untagged frame) for incoming tagged frames until timeout."""
    end = time.time() + timeout
    while time.time() < end:
        s.settimeout(max(0.01, end - time.time()))
        try: data, anc, _, addr = s.recvmsg(65535, socket.CMSG_SPACE(20))
        except socket.timeout: return
        if addr[2] == 4: continue                      # PACKET_OUTGOING: our own frame
        for lvl, typ, d in anc:
            if lvl == 263 and typ == 8 and len(d) >= 20:
                st, _, _, _, _, tci, _ = struct.unpack('IIIHHHH', d[:20])
                if st & 0x10: yield tci & 0xfff, data       # TP_STATUS_VLAN_VALID
        if data[12:14] == b'\x81\x00':                 # tag still in the data
            yield struct.unpack('!H', data[14:16])[0] & 0xfff, data[:12] + data[16:]
if cmd == 'files':                                     # deterministic HTTP content
    rnd = random.Random(1977)
    for name, size in [('small.txt', 20000), ('page.html', 48000), ('data.bin', 100000),
                       ('image.bin', 200000), ('video.bin', 250000),
                       ('archive.bin', 300000)]:
        body = (b''.join(b'pcapframe sample line %06d\n' % i for i in range(size // 26 + 1))
                if name.endswith(('.txt', '.html')) else rnd.randbytes(size))
        open(a[0] + '/' + name, 'wb').write(body[:size])
elif cmd == 'udp-echo':                                # dual-stack UDP echo server
    s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0); s.bind(('::', int(a[0])))
    while True:
        d, peer = s.recvfrom(65535); s.sendto(d, peer)
elif cmd == 'udp-send':                                # datagrams of known sizes; last is fragmented
    host, port = a[0], int(a[1])
    fam = socket.AF_INET6 if ':' in host else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM); s.settimeout(1)
    for n in [16, 100, 512, 1200, 4000][:int(a[2]) if len(a) > 2 else 5]:
        s.sendto((b'pcapframe-udp-%05d|' % n).ljust(n, b'.'), (host, port))
        try: s.recvfrom(65535)
        except OSError: pass                           # closed port -> ICMP error, no echo
        time.sleep(0.05)
elif cmd == 'bpdu':                                    # IEEE 802.3 + LLC frame: STP config BPDU
    src = mac(a[1]); bid = struct.pack('!H6s', 0x8000, src)
    bpdu = struct.pack('!HBBB8sI8sHHHHH', 0, 0, 0, 0, bid, 0, bid, 0x8001, 0, 20 * 256, 2 * 256, 15 * 256)
    llc = b'\x42\x42\x03' + bpdu
    frame = mac('01:80:c2:00:00:00') + src + struct.pack('!H', len(llc)) + llc
    s = rawsock(a[0])
    for _ in range(int(a[2])): s.send(frame.ljust(60, b'\0')); time.sleep(0.5)
elif cmd == 'vlan-responder':                          # answers ARP + ICMP echo on VLAN a[2]
    ifn, me, vid, myip = a[0], mac(a[1]), int(a[2]), a[3]
    s = rawsock(ifn)
    while True:
        for v, f in recv_vlan(s, 3600):
            if v != vid: continue
            et, p = struct.unpack('!H', f[12:14])[0], f[14:]
            if et == 0x0806 and p[6:8] == b'\0\1' and p[24:28] == socket.inet_aton(myip):
                s.send(vlan_eth(f[6:12], me, vid, 0x0806, arp(2, me, myip, p[8:14], socket.inet_ntoa(p[14:18]))))
            elif et == 0x0800 and p[9] == 1 and p[16:20] == socket.inet_aton(myip) and p[20] == 8:
                ihl = (p[0] & 15) * 4; icmp = b'\0\0\0\0' + p[ihl + 4:struct.unpack('!H', p[2:4])[0]]
                icmp = icmp[:2] + struct.pack('!H', csum(icmp)) + icmp[4:]
                ip = ipv4(myip, socket.inet_ntoa(p[12:16]), 1, icmp, struct.unpack('!H', p[4:6])[0])
                s.send(vlan_eth(f[6:12], me, vid, 0x0800, ip))
elif cmd == 'vlan-ping':                               # ARP + N echo requests on VLAN a[2]
    ifn, me, vid, myip, dstip, n = a[0], mac(a[1]), int(a[2]), a[3], a[4], int(a[5])
    s = rawsock(ifn); bcast = b'\xff' * 6; peer = None
    s.send(vlan_eth(bcast, me, vid, 0x0806, arp(1, me, myip, b'\0' * 6, dstip)))
    for v, f in recv_vlan(s, 2):
        if v == vid and f[12:14] == b'\x08\x06' and f[20:22] == b'\0\2': peer = f[22:28]; break
    if peer is None: sys.exit('vlan-ping: no ARP reply on VLAN %d' % vid)
    got = 0
    for seq in range(1, n + 1):
        icmp = struct.pack('!BBHHH', 8, 0, 0, 0x7066, seq) + bytes(range(48))
        icmp = icmp[:2] + struct.pack('!H', csum(icmp)) + icmp[4:]
        s.send(vlan_eth(peer, me, vid, 0x0800, ipv4(myip, dstip, 1, icmp, 0x1000 + seq)))
        for v, f in recv_vlan(s, 1):
            if v == vid and f[12:14] == b'\x08\x00' and f[23] == 1 and f[34] == 0: got += 1; break
        time.sleep(0.2)
    if got < n: sys.exit('vlan-ping: %d/%d replies on VLAN %d' % (got, n, vid))
PY
cpy() { C python3 "$TMP/helper.py" "$@"; }   # helper, client side

# ---- topology: two namespaces, one veth pair, fixed MACs/addresses ----
ip netns del "$CNS" 2>/dev/null || true; ip netns del "$SNS" 2>/dev/null || true
ip netns add "$CNS"; ip netns add "$SNS"
ip link add "$CIF" netns "$CNS" address "$CMAC" type veth peer name "$SIF" netns "$SNS" address "$SMAC"
setup_end() {   # namespace, interface, IPv4, IPv6
  ip netns exec "$1" sysctl -qw net.ipv6.conf.all.accept_dad=0 net.ipv6.conf."$2".accept_dad=0
  # no offloads: the capture should hold wire-sized frames with valid checksums
  ip netns exec "$1" ethtool -K "$2" tx off rx off tso off gso off gro off >/dev/null
  ip -n "$1" link set lo up
  ip -n "$1" addr add "$3/24" dev "$2"
  ip -n "$1" addr add "$4/64" dev "$2" nodad
  ip -n "$1" link set "$2" up
}
setup_end "$CNS" "$CIF" "$C4" "$C6"; setup_end "$SNS" "$SIF" "$S4" "$S6"

# ---- servers (server namespace): DNS on 53 and 5353, HTTP on 80, UDP echo ----
DNS_COMMON=(-k -C /dev/null --pid-file= --no-resolv --no-hosts --bind-interfaces
  --listen-address="$S4" --listen-address="$S6" --log-queries --log-facility=-)
bg_s dns53 dnsmasq "${DNS_COMMON[@]}" --port 53 --local="/$DOM/" --domain="$DOM" \
  --host-record="server.$DOM,$S4,$S6" --host-record="cdn.$DOM,$S4,$S6" \
  --host-record="client.$DOM,$C4,$C6" --host-record="mail.$DOM,$S4" \
  --cname="www.$DOM,web.$DOM" --cname="web.$DOM,cdn.$DOM" \
  --address="/static.$DOM/$S4" --address="/static.$DOM/$S6" \
  --mx-host="$DOM,mail.$DOM,10" --txt-record="$DOM,v=spf1 -all" \
  --txt-record="_info.$DOM,pcapframe sample capture,recorded in network namespaces" \
  --ptr-record="53.0.77.10.in-addr.arpa,ns.$DOM" --ptr-record="80.0.77.10.in-addr.arpa,gw.$DOM"
bg_s dns5353 dnsmasq "${DNS_COMMON[@]}" --port 5353 --local="/local/" \
  --host-record="printer.local,$S4,$S6" --txt-record="printer.local,model=pcapframe-lp1"
mkdir -p "$TMP/www"; python3 "$TMP/helper.py" files "$TMP/www"; echo '<html><body>pcapframe</body></html>' >"$TMP/www/index.html"
bg_s http python3 -m http.server 80 --bind :: --directory "$TMP/www"
bg_s udpecho python3 "$TMP/helper.py" udp-echo 50000
bg_s vlanresp python3 "$TMP/helper.py" vlan-responder "$SIF" "$SMAC" 100 10.77.100.2

# wait until the servers answer (this traffic happens before the capture starts)
ready() {
  C curl -sf -o /dev/null "http://$S4/" &&
    C dig +short +time=1 +tries=1 "@$S4" "cdn.$DOM" | grep -q . &&
    C dig +short +time=1 +tries=1 -p 5353 "@$S4" printer.local | grep -q .
}
for _ in $(seq 50); do ready && break; sleep 0.2; done
ready || die "servers did not come up"
flush; sleep 1

# ---- capture (client veth, inside the client namespace) ----
PCAP="$TMP/capture.pcap"
ip netns exec "$CNS" tcpdump -i "$CIF" -s 0 -U --immediate-mode --time-stamp-precision=micro -Z root -w "$PCAP" \
  >"$TMP/tcpdump.log" 2>&1 & TCPDUMP=$!; PIDS+=("$TCPDUMP")
for _ in $(seq 50); do grep -q 'listening on' "$TMP/tcpdump.log" && break; sleep 0.1; done
grep -q 'listening on' "$TMP/tcpdump.log" || die "tcpdump did not start"
pause

echo "== phase 1: ICMP / ICMPv6 echo (ARP + neighbour discovery)"
C ping -q -c 3 -i 0.2 "$S4" >/dev/null; C ping -6 -q -c 3 -i 0.2 "$S6" >/dev/null; pause; flush

echo "== phase 2: DNS over UDP (IPv4 and IPv6), TCP, and port 5353"
dq() { C dig +time=2 +tries=1 "$@" >/dev/null; }
for srv in "$S4" "$S6"; do
  for q in "www.$DOM A" "www.$DOM AAAA" "web.$DOM CNAME" "cdn.$DOM A" "static.$DOM AAAA" \
           "$DOM MX" "$DOM TXT" "_info.$DOM TXT" "nosuch.$DOM A"; do dq "@$srv" $q; done
  dq "@$srv" -x "$S4"; dq "@$srv" -x 10.77.0.53; dq "@$srv" -x "$C6"; pause 0.2
done
dq +tcp "@$S4" "www.$DOM" A; dq +tcp "@$S6" "www.$DOM" AAAA; dq +tcp "@$S4" "_info.$DOM" TXT
dq -p 5353 "@$S4" printer.local A; dq -p 5353 "@$S6" printer.local AAAA; dq -p 5353 "@$S4" printer.local TXT
pause; flush

echo "== phase 3: HTTP downloads over IPv4 and IPv6"
get() { C curl -sS -f -o /dev/null -A pcapframe-sample/1.0 "$@"; }
A4=$(C dig +short "@$S4" "www.$DOM" A | tail -n1); A6=$(C dig +short "@$S6" "www.$DOM" AAAA | tail -n1)
[[ -n $A4 && -n $A6 ]] || die "could not resolve www.$DOM via dnsmasq"
for f in index.html small.txt page.html data.bin image.bin video.bin archive.bin; do
  get --resolve "www.$DOM:80:$A4" "http://www.$DOM/$f"; pause 0.1
  get -6 --resolve "www.$DOM:80:[$A6]" "http://www.$DOM/$f"; pause 0.1
done
# many short connections, like a browser revisiting: re-resolve, HEAD, conditional GET (304), 404
for i in 1 2 3 4 5; do
  dq "@$S4" "www.$DOM" A; dq "@$S6" "www.$DOM" AAAA
  for r in "www.$DOM:80:$A4" "www.$DOM:80:[$A6]"; do
    get --resolve "$r" -I "http://www.$DOM/small.txt"
    get --resolve "$r" -z "$TMP/www/page.html" "http://www.$DOM/page.html"
    C curl -s -o /dev/null -A pcapframe-sample/1.0 --resolve "$r" "http://www.$DOM/missing-$i.html"
  done
  pause 0.1
done
C curl -s -o /dev/null "http://$S4:81/" || true                              # closed port -> RST
pause; flush

echo "== phase 4: plain UDP, ICMP errors, IP fragments"
cpy udp-send "$S4" 50000       # 4000-byte datagram is fragmented
cpy udp-send "$S6" 50000 4
cpy udp-send "$S4" 33434 1     # closed port -> ICMP port unreachable
cpy udp-send "$S6" 33434 1     # -> ICMPv6 port unreachable
C ping -q -c 2 -i 0.3 -s 3000 "$S4" >/dev/null; C ping -6 -q -c 2 -i 0.3 -s 3000 "$S6" >/dev/null
pause

echo "== phase 5: 802.1Q VLAN 100 and IEEE 802.3/LLC (STP BPDU)"
# this kernel may lack 8021q (no vlan devices), so both ends write tagged frames
# through AF_PACKET; the server's vlan-responder answers ARP and echo on VLAN 100
cpy vlan-ping "$CIF" "$CMAC" 100 10.77.100.1 10.77.100.2 3
cpy bpdu "$CIF" "$CMAC" 2
flush; C ping -q -c 2 -i 0.2 "$S4" >/dev/null; pause 0.5

kill -INT "$TCPDUMP"; wait "$TCPDUMP" || true
cp "$PCAP" "$OUT.tmp.$$"; mv -f "$OUT.tmp.$$" "$OUT"
chown --reference="$(dirname "$OUT")" "$OUT" 2>/dev/null || true
echo "== wrote $OUT"; capinfos "$OUT"
if command -v tshark >/dev/null; then tshark -r "$OUT" -q -z io,phs 2>/dev/null; fi
