# cutroom::ad_template (ad_template.h): filled in by its owner.
