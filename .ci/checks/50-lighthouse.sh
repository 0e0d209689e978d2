# Lighthouse (mobile profile) on the home, article, chooser, form and result pages.
scripts/lighthouse.sh
