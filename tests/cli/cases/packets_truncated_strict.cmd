head -c 100000 sample.pcap > truncated.pcap
pcapframe packets --strict --utc --format csv --columns length truncated.pcap > rows.csv || status=$?
echo "rows written: $(($(wc -l < rows.csv) - 1))"
exit "${status:-0}"
