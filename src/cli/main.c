/* STUB: entry point (to be implemented). */
int main(void) { return 2; }
