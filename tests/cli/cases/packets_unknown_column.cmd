pcapframe packets --utc --limit 3 --columns length,bogus sample.pcap
