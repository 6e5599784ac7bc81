printf 'GIF89a\001\000\001\000' > image.gif
pcapframe packets --utc image.gif
