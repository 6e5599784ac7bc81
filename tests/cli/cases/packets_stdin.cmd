pcapframe packets --utc --limit 3 --format csv --columns datetime,length,mac_src,mac_dst - < sample.pcap
