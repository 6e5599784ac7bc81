pcapframe packets --utc --limit 5 --format csv sample.pcap
