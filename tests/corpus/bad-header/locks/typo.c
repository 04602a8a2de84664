// conc-hazard: 11 a header with a misspelt report kind
// conc-expect-runtime: lock-order-inversoin
// conc-expect-lint: none
int main(void) { return 0; }
