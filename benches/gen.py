#!/usr/bin/env python3
"""Generates benchmark logs in the reference layout (deterministic).

    gen.py OUT_DIR [MEGABYTES]

Writes OUT_DIR/big/app_2024-01-15.jsonl (about MEGABYTES, default 1024,
records sorted by time across the day), and OUT_DIR/days/app_YYYY-MM-DD.jsonl.gz,
30 gzip-compressed daily files of about MEGABYTES/100 each (the gzip copy of
the big file is made by bench.sh). Records look like the hand-made JSON
formatter of the reference service: timestamp, level, logger_name, message,
correlation_id, context.organization_id, extra.duration_ms.
"""
import gzip
import os
import random
import sys

LEVELS = ["DEBUG"] * 15 + ["INFO"] * 70 + ["WARNING"] * 10 + ["ERROR"] * 4 + ["CRITICAL"]
MODULES = ["src.api.routes", "src.api.auth", "src.services.whatsapp_client", "src.db.pool",
           "src.workers.scheduler", "src.workers.spawner", "src.services.billing", "src.graph.nodes"]
MESSAGES = ["Request received", "Request completed", "Token validated for user u_{n}",
            "Query executed on table messages", "Sending message to +49151{n}",
            "timeout after {n} ms calling upstream", "Cache miss for key session:{n}",
            "Job job-{n} scheduled", "Retrying send (attempt {a})", "Payment declined for order {n}"]


def records(rng, day, n, cid_every):
    step = 86_400_000_000 // n  # microseconds per record, so times are sorted
    for i in range(n):
        us = i * step + rng.randrange(step)
        hh, rem = divmod(us // 1_000_000, 3600)
        mm, ss = divmod(rem, 60)
        level = rng.choice(LEVELS)
        num = rng.randrange(100000)
        msg = rng.choice(MESSAGES).format(n=num, a=rng.randrange(1, 5))
        cid = "req-bench-42" if i % cid_every == 7 else f"req-{rng.getrandbits(48):012x}"
        yield (
            f'{{"timestamp":"{day}T{hh:02d}:{mm:02d}:{ss:02d}.{us % 1_000_000:06d}Z","level":"{level}",'
            f'"logger_name":"{rng.choice(MODULES)}","message":"{msg}","correlation_id":"{cid}",'
            f'"context":{{"organization_id":"org_{num % 50}","user_id":"u_{num}"}},'
            f'"extra":{{"duration_ms":{rng.randrange(1000)},"status_code":{rng.choice([200, 200, 200, 201, 404, 500])}}}}}\n'
        )


def main():
    out = sys.argv[1]
    megabytes = int(sys.argv[2]) if len(sys.argv) > 2 else 1024
    rng = random.Random(42)
    per_record = 275
    os.makedirs(f"{out}/big", exist_ok=True)
    os.makedirs(f"{out}/days", exist_ok=True)
    n = megabytes * 1_000_000 // per_record
    with open(f"{out}/big/app_2024-01-15.jsonl", "w") as f:
        f.writelines(records(rng, "2024-01-15", n, max(n // 10, 1)))
    for d in range(30):
        day = f"2023-12-{17 + d:02d}" if d < 15 else f"2024-01-{d - 14:02d}"
        with gzip.open(f"{out}/days/app_{day}.jsonl.gz", "wt", compresslevel=6) as f:
            f.writelines(records(rng, day, n // 100, max(n // 1000, 1)))


if __name__ == "__main__":
    main()
