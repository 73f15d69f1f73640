"""Writes the Parquet fixtures the tests read, as a warehouse or a Spark job writes them.

Run with pyarrow (26.0.1 wrote the files here): python3 make.py. The files are committed, so
the tests need no Python; this script says what is in them.

- spark/: a Spark job's output folder. Two snappy part files of a long sales log (one row per
  invoice line), money as decimal(38,2), the order time a UTC timestamp, the division
  dictionary-encoded, plus a struct column and a list column a sales log has no use for; an
  empty part file (Spark writes one for an empty partition), `_SUCCESS` and a `.crc` file.
- nested_only.parquet: a file with no flat column at all.
- binary_ids.parquet: customer ids as plain binary (no string annotation), as Hive, Impala and
  older Spark write strings.
- zoned.parquet: sales at 23:30 on New Year's Eve, as timestamps declared in America/New_York
  (ms), at a fixed +01:00 offset (ns) and naive (us): the business's day is 2023-12-31 in all.
"""
import datetime as dt
import decimal
import os

import pyarrow as pa
import pyarrow.parquet as pq

HERE = os.path.dirname(os.path.abspath(__file__))
UTC = dt.timezone.utc


def table(rows):
    return pa.table(
        {
            "customer_id": pa.array([r[0] for r in rows]),
            "order_date": pa.array([r[1] for r in rows], type=pa.timestamp("us", tz="UTC")),
            "division": pa.array([r[2] for r in rows]).dictionary_encode(),
            "invoice_id": pa.array([r[3] for r in rows], type=pa.int64()),
            "product": pa.array([r[4] for r in rows]),
            "qty": pa.array([r[5] for r in rows], type=pa.int32()),
            "gp": pa.array([decimal.Decimal(r[6]) for r in rows], type=pa.decimal128(38, 2)),
            "meta": pa.array([{"source": "erp", "batch": 7} for _ in rows]),
            "tags": pa.array([["a", "b"] for _ in rows]),
        }
    )


PART0 = [
    ("C001", dt.datetime(2023, 1, 2, 9, 30, tzinfo=UTC), "Solidworks", 1, "SWX_Core", 1, "1229.50"),
    ("C001", dt.datetime(2023, 1, 2, 9, 30, tzinfo=UTC), "Solidworks", 1, "SWX_Core", 2, "-3.25"),
    ("C002", dt.datetime(2023, 3, 31, 23, 59, tzinfo=UTC), "Solidworks", 2, "SWX_Pro_Prem", 1, "12.00"),
]
PART1 = [
    ("C003", dt.datetime(2024, 6, 30, 0, 0, tzinfo=UTC), "Solidworks", 3, "SWX_Core", 3, "100000.01"),
]

spark = os.path.join(HERE, "spark")
os.makedirs(spark, exist_ok=True)
uuid = "5f3c2a10-0b7e-4d2a-9c1e-2f6a8d4b1c00"
pq.write_table(table(PART0), os.path.join(spark, f"part-00000-{uuid}-c000.snappy.parquet"), compression="snappy")
pq.write_table(table(PART1), os.path.join(spark, f"part-00001-{uuid}-c000.snappy.parquet"), compression="snappy")
pq.write_table(table(PART0).slice(0, 0), os.path.join(spark, f"part-00002-{uuid}-c000.snappy.parquet"), compression="snappy")
open(os.path.join(spark, "_SUCCESS"), "w").close()
with open(os.path.join(spark, f".part-00000-{uuid}-c000.snappy.parquet.crc"), "wb") as f:
    f.write(b"crc\x00\x01")

nested = pa.table({"meta": pa.array([{"a": 1}]), "tags": pa.array([["x"]])})
pq.write_table(nested, os.path.join(HERE, "nested_only.parquet"))

ny = dt.timezone(dt.timedelta(hours=-5))
cet = dt.timezone(dt.timedelta(hours=1))
zoned = pa.table(
    {
        "customer_id": pa.array(["C001", "C002"]),
        "new_york": pa.array(
            [dt.datetime(2023, 12, 31, 23, 30, tzinfo=ny), dt.datetime(2024, 1, 1, 0, 30, tzinfo=ny)],
            type=pa.timestamp("ms", tz="America/New_York"),
        ),
        "fixed": pa.array(
            [dt.datetime(2023, 12, 31, 23, 30, tzinfo=cet), dt.datetime(2024, 1, 1, 0, 30, tzinfo=cet)],
            type=pa.timestamp("ns", tz="+01:00"),
        ),
        "naive": pa.array(
            [dt.datetime(2023, 12, 31, 23, 30), dt.datetime(2024, 1, 1, 0, 30)],
            type=pa.timestamp("us"),
        ),
    }
)
pq.write_table(zoned, os.path.join(HERE, "zoned.parquet"))

binary = pa.table(
    {
        "customer_id": pa.array([b"C001", b"C002"], type=pa.binary()),
        "gp": pa.array([1.5, 2.5]),
    }
)
pq.write_table(binary, os.path.join(HERE, "binary_ids.parquet"))
