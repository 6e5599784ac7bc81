pcapframe packets --utc --limit 6 --columns time_normed,length,caplen,protocol,ip_src,ip_dst,ttl,icmp_type,anomaly sample.pcap
