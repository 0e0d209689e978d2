# Lighthouse (mobile profile) on the home, article, form, result, search, A to Z and topic pages.
scripts/lighthouse.sh
