pcapframe packets --utc missing.pcap
