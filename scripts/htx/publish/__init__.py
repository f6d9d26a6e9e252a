"""After rendering: photos, share cards, QR codes, search index, sitemap, feeds, open data."""
