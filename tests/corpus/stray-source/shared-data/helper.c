/* A source with no conc- header that no program lists in conc-sources: the
   driver must refuse the corpus rather than silently skip it. */
int helper(void) { return 1; }
