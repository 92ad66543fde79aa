import 'reflect-metadata';
import { runVigilApp } from '@vigil/messaging';
import { plannerApp } from './planner.app';

runVigilApp(plannerApp);
