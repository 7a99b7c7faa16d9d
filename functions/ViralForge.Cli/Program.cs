System.Console.WriteLine("vf");
