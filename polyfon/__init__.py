"""polyfon: the web platform of a Norwegian knowledge cluster (kunnskapsklynge)."""
