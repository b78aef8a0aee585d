// For the test run only, never packaged: Debian's kotlinx.coroutines (1.0.1, the one the test
// script can install without Maven) predates this opt-in marker (1.5), which the generated
// bindings import. An app uses a current kotlinx-coroutines-core, which has it.
package kotlinx.coroutines

@RequiresOptIn(level = RequiresOptIn.Level.WARNING)
@Retention(AnnotationRetention.BINARY)
annotation class DelicateCoroutinesApi
