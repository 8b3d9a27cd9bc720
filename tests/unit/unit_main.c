/* unit_main: run the suites of one unit test program (unit_suites[]);
 * the exit status says if any failed. */
#include <stdlib.h>

#include "unit.h"

int main(void)
{
	SRunner *sr = srunner_create(NULL);
	const unit_suite_fn *s;
	int failed;

	for (s = unit_suites; *s != NULL; s++)
		srunner_add_suite(sr, (*s)());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
