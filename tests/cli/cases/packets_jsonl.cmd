pcapframe packets --utc --limit 5 --format jsonl sample.pcap
