pcapframe packets --utc --limit 3 --format csv --columns all sample.pcap
