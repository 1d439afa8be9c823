"""The field check: the built extension in a real browser, on the maintainer's signed-in
profile, visiting every rule's pages and the privacy hub on www.linkedin.com, and saying per
page whether the rule still finds its switch (`python -m fieldcheck --help`; docs/fieldcheck.md).
Read-only unless `--act`."""
