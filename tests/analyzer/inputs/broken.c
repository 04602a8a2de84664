/* Does not compile: conc-lint must name it and go on with the others. */
int broken(void) {
  return missing_variable +;
}
