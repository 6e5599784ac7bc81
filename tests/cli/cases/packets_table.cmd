pcapframe packets --utc --limit 5 sample.pcap
