# How the page cache holds a (cached) file: maps it read-only, touches every page, then classifies each page through
# /proc/self/pagemap and /proc/kpageflags (Linux, root): base pages, large folios, physically contiguous runs.
# Usage: scripts/page-folios.py FILE [MAX_BYTES]   (docs/benchmarks.md, the 1M table)
import mmap, os, struct, sys, collections
path = os.path.realpath(sys.argv[1])
f = open(path, 'rb'); size = os.fstat(f.fileno()).st_size
if len(sys.argv) > 2: size = min(size, int(sys.argv[2]))
m = mmap.mmap(f.fileno(), size, prot=mmap.PROT_READ)
s = 0
for off in range(0, size, 4096): s += m[off]
start = None
for line in open('/proc/self/maps'):
    if line.rstrip().endswith(path):
        start = int(line.split('-')[0], 16); break
pm = open('/proc/self/pagemap', 'rb'); kf = open('/proc/kpageflags', 'rb')
pages = size // 4096
pm.seek(start // 4096 * 8); raw = pm.read(pages * 8)
c = collections.Counter(); runs = collections.Counter()
prev = None; run = 0
for i in range(pages):
    e = struct.unpack_from('<Q', raw, i * 8)[0]
    if not e >> 63 & 1: c['not present'] += 1; continue
    pfn = e & ((1 << 55) - 1)
    kf.seek(pfn * 8); fl = struct.unpack('<Q', kf.read(8))[0]
    if fl >> 22 & 1: c['thp'] += 1
    if fl >> 15 & 1 or fl >> 16 & 1: c['in large folio'] += 1
    else: c['base 4k page'] += 1
    # physically contiguous runs (what a TLB could coalesce)
    if prev is not None and pfn == prev + 1: run += 1
    else:
        if run: runs[min(run, 512)] += 1
        run = 1
    prev = pfn
runs[min(run, 512)] += 1
print(path, dict(c))
tot = sum(k * v for k, v in runs.items())
print('pages in physically contiguous runs of >=4: %.1f%%, >=16: %.1f%%, >=512: %.1f%%' % tuple(
    100 * sum(k * v for k, v in runs.items() if k >= t) / tot for t in (4, 16, 512)))
