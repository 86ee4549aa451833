#!/usr/bin/env python3
"""Writes one day of the index benchmark's month on stdout (deterministic).

    gen_month.py DAY [MEGABYTES]

DAY counts from 0 (2023-12-01); a day is about MEGABYTES (default 1000) of
records as gen.py writes them, with one rare request every 65,000 records:
three consecutive records carrying `req-rare-DDMM-K` (K counts from 0
within the day). benches/month.sh writes the month and compresses it.
"""
import os
import random
import re
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen import records  # noqa: E402

RARE_EVERY = 65_000
CID = re.compile(r'"correlation_id":"[^"]*"')


def day_name(d):
    return f"2023-12-{d + 1:02d}" if d < 31 else f"2024-01-{d - 30:02d}"


def main():
    d = int(sys.argv[1])
    megabytes = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    n = megabytes * 1_000_000 // 275
    day = day_name(d)
    tag = day[8:10] + day[5:7]
    out = sys.stdout
    buf = []
    for i, line in enumerate(records(random.Random(d), day, n, 10**12)):
        k, r = divmod(i, RARE_EVERY)
        if r in (100, 101, 102):
            line = CID.sub(f'"correlation_id":"req-rare-{tag}-{k}"', line, 1)
        buf.append(line)
        if len(buf) >= 10000:
            out.writelines(buf)
            buf.clear()
    out.writelines(buf)


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--name":
        print(day_name(int(sys.argv[2])))
    else:
        main()
