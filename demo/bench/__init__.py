"""`make bench-pages`: every page timed and its queries counted at 1,000 and 10,000 partners."""
