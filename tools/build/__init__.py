"""The build: rule data, locales, store listings, bundles, packages and releases."""
