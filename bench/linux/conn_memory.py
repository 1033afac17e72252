#!/usr/bin/env python3
"""Kernel memory per idle established TCP connection on Linux's loopback (the anchor of P4).

Run as root inside a network namespace of its own (bench/compare does so): opens N connections
to listeners on 127.0.0.1 (20,000 per port), keeps both ends open and idle, and reads the slab
memory the kernel holds before and after, from /proc/slabinfo (pages of every cache: the socket
structures, inodes, files, dentries, hash entries) and /proc/meminfo (Slab). The difference is
divided by N. Slab usage is machine-wide, so other activity adds noise; the largest caches that
grew are printed so the figure can be checked. Prints one line: RESULT <bytes per connection> ...
"""
import os, resource, socket, sys, time

def slab_pages():
    caches = {}
    with open('/proc/slabinfo') as f:
        for line in f:
            if line.startswith(('slabinfo', '#')):
                continue
            p = line.split()
            # name active_objs num_objs objsize objperslab pagesperslab : tunables ... : slabdata active_slabs num_slabs ...
            name, num_objs, objsize, pagesperslab, num_slabs = p[0], int(p[2]), int(p[3]), int(p[5]), int(p[14])
            caches[name] = (num_slabs * pagesperslab * os.sysconf('SC_PAGE_SIZE'), num_objs * objsize)
    return caches

def meminfo(key):
    with open('/proc/meminfo') as f:
        for line in f:
            if line.startswith(key + ':'):
                return int(line.split()[1]) * 1024
    return 0

def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20000
    per_port = 20000
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard != resource.RLIM_INFINITY and 2 * n + 100 > hard:
        n = (hard - 100) // 2  # each connection is two descriptors; the hard limit cannot be raised here
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    listeners = []
    for p in range((n + per_port - 1) // per_port):
        l = socket.socket()
        l.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        l.bind(('127.0.0.1', 9000 + p))
        l.listen(4096)
        listeners.append(l)
    time.sleep(0.2)
    before, slab0 = slab_pages(), meminfo('Slab')
    ends = []
    for i in range(n):
        c = socket.socket()
        c.connect(('127.0.0.1', 9000 + i // per_port))
        s, _ = listeners[i // per_port].accept()
        ends.append((c, s))
    time.sleep(1.0)  # delayed ACKs and the like settle
    after, slab1 = slab_pages(), meminfo('Slab')
    grown = sorted(((after[k][0] - before.get(k, (0, 0))[0], k) for k in after), reverse=True)
    total = sum(d for d, _ in grown)
    top = ', '.join('%s %+.0f' % (k, d / n) for d, k in grown[:6] if d > 0)
    print('RESULT %.0f bytes of slab per idle connection, both ends (%.0f per socket); N=%d; '
          '/proc/meminfo Slab grew %.0f per connection; largest caches per connection: %s'
          % (total / n, total / n / 2, n, (slab1 - slab0) / n, top))

if __name__ == '__main__':
    try:
        main()
    except Exception as e:  # one line, no traceback
        print('conn_memory.py: %s' % e, file=sys.stderr)
        sys.exit(1)
