#!/usr/bin/env python3
"""Allocation sites from `jfr print --events jdk.ObjectAllocationSample --stack-depth 12` on stdin.

Groups the samples' weights by allocated class and the first netstack4j frame of the stack (the
frame below it too, to say who called), skipping samples with no netstack4j frame (JMH, JFR, JIT
start-up). Prints the heaviest sites with their share of the sampled weight.
Usage: jfr print ... | bench/alloc_sites.py [TOP]
"""
import re, sys
from collections import defaultdict

def main():
    top = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    sites, total = defaultdict(float), 0.0
    units = {'bytes': 1, 'kB': 1e3, 'MB': 1e6, 'GB': 1e9}
    for ev in sys.stdin.read().split('jdk.ObjectAllocationSample {')[1:]:
        cls = re.search(r'objectClass = (\S+)', ev)
        w = re.search(r'weight = ([\d.]+) (\w+)', ev)
        if not cls or not w:
            continue
        frames = re.findall(r'^\s{4}(\S.*?)(?: line: (\d+))?$', ev.split('stackTrace = [', 1)[-1], re.M)
        ours = [i for i, (f, _) in enumerate(frames) if f.startswith('netstack4j.') and not f.startswith('netstack4j.bench.jmh_generated')]
        if not ours:
            continue
        i = ours[0]
        weight = float(w.group(1)) * units.get(w.group(2), 1)
        total += weight
        at = '%s:%s' % (re.sub(r'\(.*\)', '', frames[i][0]), frames[i][1])
        caller = re.sub(r'\(.*\)', '', frames[i + 1][0]) + ':' + frames[i + 1][1] if i + 1 < len(frames) else ''
        sites[(cls.group(1), at, caller)] += weight
    for (cls, at, caller), w in sorted(sites.items(), key=lambda kv: -kv[1])[:top]:
        print('%5.1f%%  %s  at %s  (from %s)' % (100 * w / total, cls, at, caller))

if __name__ == '__main__':
    main()
