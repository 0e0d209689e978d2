# Lighthouse (mobile profile) on the home, article, chooser, form, result, search, A to Z and topic pages.
scripts/lighthouse.sh
