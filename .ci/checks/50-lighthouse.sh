# Lighthouse (mobile profile) on the home, article, form and result pages.
scripts/lighthouse.sh
