// Compiles messages/*.json once, for tools that run without Vite (svelte-check on a fresh clone).
import { compile } from '@inlang/paraglide-js';
import { paraglideOptions } from './paraglide';

await compile(paraglideOptions);
