import 'reflect-metadata';
import { runVigilApp } from '@vigil/messaging';
import { consoleApp } from './console.app';

runVigilApp(consoleApp);
