"""The district performance dashboard (성과관리): aggregate figures for a district, or all, over a period.

selectors: one aggregate read per panel, returning plain data; cache: versioned caching of those
panels; charts: server-side SVG with table alternatives; views/urls: the staff page.
"""
