import 'reflect-metadata';
import { runVigilApp } from '@vigil/messaging';
import { executorApp } from './executor.app';

runVigilApp(executorApp);
