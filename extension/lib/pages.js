/* Where a rule's setting lives: every address form of its page. The site lists the forms of a
   settings page's path (site.pageForms: "/mypreferences/d/settings/", "/mypreferences/s/", …)
   and each rule the last segments its page goes by (its slugs); a page is the rule's under any
   form, with or without a trailing slash or a query. Pure: no browser. */

/** Every path at which the rule's page may show: each of the site's forms with each slug. */
export function pageForms(rule, site) {
  return site.pageForms.flatMap((form) => rule.slugs.map((slug) => form + slug));
}

/**
 * Every path at which one of the rule's wrong addresses (slugs in circulation that LinkedIn never
 * served) may show.
 */
export function wrongAddressForms(rule, site) {
  return site.pageForms.flatMap((form) => (rule.wrongSlugs ?? []).map((slug) => form + slug));
}

/** Path -> the rules whose page it is, for every form of every rule. */
export function pagesIndex(rules, site) {
  const index = new Map();
  for (const rule of rules) {
    for (const path of pageForms(rule, site)) index.set(path, [...(index.get(path) ?? []), rule]);
  }
  return index;
}
